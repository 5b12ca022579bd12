using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Live;
using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// The live pipeline's preview frame rate (source → upload → time-sliced classification/training → preview + HUD
/// drawn offscreen and finished, as a window swap would) while a fine-tuning session trains, on the sample video:
/// samples of the first segments are captured as the keys would, T starts training, and the loop runs until training
/// ends (or the time cap). Figures: frames/s during the caching phase (frozen-front features), during optimizer steps,
/// and while classifying after training, plus the sliced inference latency. No peer: ONNX Runtime and PyTorch have no
/// live preview; the figure is ours against the 30 frames/s target.
/// Verification: samples were cached, at least one epoch finished, and predictions appeared after training.
/// </summary>
internal sealed class LivePipelineSection : IBenchSection
{
    public string Name => "live";
    public string Title => "Live preview frames/s while fine-tuning (sample video, 640x360 → 1280x720 offscreen)";

    public SectionResult Run(BenchRun run)
    {
        Capture.OpenCvImageDecoder.Register();
        int classes = run.Settings.Quick ? 2 : 3, perClass = run.Settings.Quick ? 4 : 8;
        TimeSpan cap = run.Settings.Quick ? TimeSpan.FromSeconds(40) : TimeSpan.FromSeconds(120);
        SelectedSource sample = SourceSelection.Sample(new LiveAppOptions(), TextWriter.Null, null);
        using var runtime = VisionRuntime.Wrap(run.Context);
        using var session = new LiveSession(runtime, new LiveSessionOptions
        {
            OutputDirectory = Path.Combine(run.WorkDirectory, "live"),
            FineTune = new FineTuning.FineTuneOptions { Epochs = run.Settings.Quick ? 2 : 10, ValidationSplit = 0, CheckpointEveryEpoch = false }, // as `run` does
        });
        CaptureSamples(session, sample, classes, perClass);

        using var target = new OffscreenTarget(run.Context, 1280, 720);
        using var renderer = new LiveRenderer(run.Context, LiveFonts.Rasterizer);
        using var worker = new CaptureWorker(sample.Spec, new CaptureOptions { Paced = true, Loop = true });
        var processor = new LiveFrameProcessor(session, null, null, "sample.mp4");
        session.Handle(new LiveCommand.Train(), null);
        var phases = new Dictionary<string, (int Frames, double Seconds)>();
        var clock = Stopwatch.StartNew();
        CapturedFrame? current = null;
        double classifyUntil = double.MaxValue;
        while (clock.Elapsed < cap && clock.Elapsed.TotalSeconds < classifyUntil)
        {
            var frameClock = Stopwatch.StartNew();
            string phase = !session.IsTraining ? "classifying" : session.TrainingProgress?.Phase == FineTuning.FineTunePhase.Caching ? "caching" : "training";
            if (worker.Frames.TryTake(out CapturedFrame? next) && next is not null)
            {
                current?.Dispose();
                current = next;
                renderer.Upload(current);
            }
            processor.Work(current, TimeSpan.FromMilliseconds(15), renderer.PreviewTexture);
            target.Bind();
            renderer.Draw(processor.Hud(null, false, null, 0, current, _ => null), 1280, 720);
            target.Unbind();
            run.Context.GL.Finish();
            var (frames, seconds) = phases.GetValueOrDefault(phase);
            phases[phase] = (frames + 1, seconds + frameClock.Elapsed.TotalSeconds);
            if (!session.IsTraining && classifyUntil == double.MaxValue) classifyUntil = clock.Elapsed.TotalSeconds + (run.Settings.Quick ? 3 : 8);
        }
        current?.Dispose();
        double Fps(string phase) => phases.TryGetValue(phase, out var p) && p.Seconds > 0 ? p.Frames / p.Seconds : 0;
        string? failure = !phases.ContainsKey("caching") ? "no frame was drawn while the samples were cached"
            : session.TrainingHistory.Count == 0 ? $"training did not finish an epoch within {cap.TotalSeconds} s"
            : session.PredictionCount == 0 ? "no prediction appeared after training" : null;
        BenchFigure[] figures =
        [
            .. new[]
            {
                new BenchFigure("preview while caching front features", "frames/s", true, Fps("caching"), [], "target ≥ 30"),
                new BenchFigure("preview while training (optimizer steps)", "frames/s", true, Fps("training"), [], "target ≥ 30"),
                new BenchFigure("preview while classifying live", "frames/s", true, Fps("classifying"), [], "network time-sliced, 15 ms per frame"),
            }.Where(f => f.Ours > 0),
            new("inference latency, time-sliced", "ms", false, session.InferenceLatency.TotalMilliseconds, [], "frame to prediction, spread over frames"),
            new("inference compute per frame classified", "ms", false, session.InferenceCompute.TotalMilliseconds, []),
        ];
        var details = new JsonObject
        {
            ["samples"] = classes * perClass,
            ["phases"] = new JsonObject(phases.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["frames"] = p.Value.Frames, ["seconds"] = Math.Round(p.Value.Seconds, 3) }))),
            ["epochs"] = session.TrainingHistory.Count,
            ["verification"] = new JsonObject { ["check"] = "samples cached, an epoch finished, predictions after training", ["passed"] = failure is null },
        };
        return new SectionResult(Name, Title, failure is null ? figures : [], details, failure);
    }

    /// <summary>Captures <paramref name="perClass"/> frames from the first part of each of the first <paramref name="classes"/> segments.</summary>
    private static void CaptureSamples(LiveSession session, SelectedSource sample, int classes, int perClass)
    {
        SegmentTimeline timeline = sample.Timeline!;
        using var worker = new CaptureWorker(sample.Spec, new CaptureOptions { Lossless = true });
        var taken = new int[classes];
        while (taken.Sum() < classes * perClass && worker.Frames.WaitToTake(TimeSpan.FromSeconds(5)) is { } frame)
            using (frame)
            {
                LabelledSegment? segment = timeline.SegmentAt(frame.SourceFrameIndex);
                int key = segment is null ? 0 : timeline.KeyOf(segment.Label);
                if (key < 1 || key > classes || taken[key - 1] >= perClass || !timeline.IsCaptureFrame(frame.SourceFrameIndex) || frame.SourceFrameIndex % 3 != 0) continue;
                if (taken[key - 1] == 0) session.Handle(new LiveCommand.NameClass(key, segment!.Label), null);
                session.Handle(new LiveCommand.Capture(key), frame.AsPluginFrame());
                taken[key - 1]++;
            }
    }
}
