using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Live;

/// <summary>
/// The live run without a display: a headless GL context renders the same preview + HUD into an offscreen
/// target for every frame; the frames go to an MP4 (OpenCV VideoWriter), every n-th also as PNG, and a
/// per-second JSON-lines log records the predictions. Frames are read losslessly (every frame of a file is
/// processed), and the sample video loops until the scripted session is done.
/// </summary>
internal static class HeadlessRunner
{
    /// <summary>Frames the source notice (e.g. the no-camera fallback) stays on screen.</summary>
    public const int NoticeFrames = 90;

    public static LiveRunSummary Run(LiveAppOptions options, SelectedSource source, Func<VisionRuntime, LiveSession> createSession,
        TextWriter log, CancellationToken cancellation)
    {
        string folder = Path.GetFullPath(options.OutputDirectory);
        string framesFolder = Path.Combine(folder, "frames");
        Directory.CreateDirectory(framesFolder);
        foreach (string old in Directory.EnumerateFiles(framesFolder, "frame_*.png")) File.Delete(old);
        using var runtime = VisionRuntime.CreateHeadless();
        using var session = createSession(runtime);
        int width = options.Width, height = options.Height;
        using var target = new OffscreenTarget(runtime.Context, width, height);
        using var renderer = new LiveRenderer(runtime.Context, LiveFonts.Rasterizer);
        bool loop = source.Timeline is not null;
        using var worker = new CaptureWorker(source.Spec, new CaptureOptions { Lossless = !source.Spec.IsLive, Loop = loop });
        ScriptedSession? script = source.Timeline is { } timeline ? new ScriptedSession(timeline, options.CaptureEvery) : null;
        string videoPath = Path.Combine(folder, "annotated.mp4");
        using var video = Mp4Writer.Open(videoPath, width, height, 15);
        using var predictions = new PredictionLog(Path.Combine(folder, "predictions.jsonl"));
        var processor = new LiveFrameProcessor(session, script, predictions, source.Spec.ToString());
        var fps = new FpsMeter();
        var bgr = new byte[width * height * 3];
        int pngs = 0;
        log.WriteLine($"headless: no window; writing {videoPath}, PNG frames and predictions.jsonl to {folder}");
        var gpu = new GpuMemoryWatch(runtime.Context);
        while (!cancellation.IsCancellationRequested && !LiveLimits.Reached(options, fps.Frames, processor) && script?.Phase != ScriptPhase.Done)
        {
            using CapturedFrame? frame = worker.Frames.WaitToTake(TimeSpan.FromSeconds(1), cancellation);
            if (frame is null)
            {
                if (worker.Status.State is CaptureState.Ended or CaptureState.Failed) break;
                continue;
            }
            renderer.Upload(frame);
            processor.OnNewFrame(frame);
            bool classify = script is null || script.Phase != ScriptPhase.Evaluating
                ? fps.Frames % options.ClassifyEvery == 0
                : script.IsEvaluationFrame(frame.SourceFrameIndex) && frame.SourceFrameIndex % options.ClassifyEvery == 0;
            processor.WorkHeadless(frame, classify, options.HeadlessTrainingSlice);
            HudState hud = processor.Hud(null, options.ShowHelp, WindowRunner.SourceWarning(worker.Status, fps.Frames < NoticeFrames ? source.Notice : null), fps.FramesPerSecond, frame,
                i => source.Timeline?.SegmentAt(i)?.Label);
            target.Bind();
            renderer.Draw(hud, width, height);
            FramebufferReader.ReadBgr(runtime.Context, width, height, bgr); // one reused buffer per run
            target.Unbind();
            video.Write(bgr, width * 3);
            if (fps.Frames % options.PngEvery == 0)
            {
                PngWriter.Save(Path.Combine(framesFolder, $"frame_{fps.Frames:D5}.png"), BgrImage(bgr, width, height));
                pngs++;
            }
            fps.Tick();
            gpu.Sample(fps.Frames);
            if (fps.Frames % 150 == 0) log.WriteLine($"headless: {fps.Frames} frames, {fps.FramesPerSecond:F1} frames/s; {script?.Status ?? session.ModelName}");
        }
        video.Dispose();
        if (options.ScreenshotPath is { } shot && fps.Frames > 0) PngWriter.Save(shot, BgrImage(bgr, width, height)); // the buffer holds the last frame
        return LiveRunSummary.From(processor, fps, worker.Status, new HeadlessOutput(videoPath, framesFolder, pngs, predictions.LogPath, predictions.Lines), gpu);
    }

    /// <summary>An image of packed top-down BGR8 pixels (for the PNG frames only, not every frame).</summary>
    private static RgbImage BgrImage(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var image = new RgbImage(width, height, RgbColor.Black);
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++, i += 3) image[x, y] = new RgbColor(bgr[i + 2], bgr[i + 1], bgr[i]);
        return image;
    }
}

/// <summary>Files a headless run wrote.</summary>
internal sealed record HeadlessOutput(string Video, string FramesFolder, int PngCount, string Log, int LogLines);
