using System.Text.Json.Nodes;
using VisionPlugin.Classification;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Live;

namespace VisionPlugin.Host.Tests.Live;

/// <summary>The live run without a display: the no-camera fallback as a user runs it, a source failing mid-stream, and a soak.</summary>
public sealed class HeadlessRunTests
{
    private static string TempFolder() => Path.Combine(Path.GetTempPath(), "vp-headless-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WithoutCameraAndDisplay_RunSaysSo_PlaysTheSampleVideo_AndWritesAnnotatedFramesVideoAndLog()
    {
        string folder = TempFolder();
        Directory.CreateDirectory(folder);
        var (code, output, errors) = await ChildProcess.RunDotnetAsync(DemoPaths.Host,
            ["run", "--frames", "24", "--width", "640", "--height", "360", "--json"], TimeSpan.FromMinutes(4), folder,
            new Dictionary<string, string?> { ["DISPLAY"] = null });
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        Assert.Contains("No camera found", output);
        Assert.Contains("No display", output);
        JsonNode result = JsonNode.Parse(output.TrimEnd().Split('\n')[^1])!;
        Assert.Equal("sample.mp4", (string?)result["source"]);
        Assert.Equal(24, (int)result["frames"]!);
        Assert.Equal("Capturing", (string?)result["script_phase"]);
        JsonArray classes = result["classes"]!.AsArray();
        Assert.True(classes.Count == 1 && (int)classes[0]!["samples"]! == 8, $"24 frames of the first segment, every 3rd captured: {classes.ToJsonString()}");
        string video = (string)result["video"]!;
        Assert.True(new FileInfo(video).Length > 10_000, $"{video} holds the annotated frames");
        Assert.True(File.ReadAllLines(Path.Combine(folder, "out", "live", "predictions.jsonl")).Length >= 1);
        Assert.True(Directory.GetFiles(Path.Combine(folder, "out", "live", "frames"), "*.png").Length >= 1);
        // The annotated MP4 reads back with the requested size and frame count.
        using var worker = new CaptureWorker(SourceSpec.Parse(video), new CaptureOptions { Lossless = true });
        int frames = 0;
        while (worker.Frames.WaitToTake(TimeSpan.FromSeconds(5)) is { } frame) using (frame) { Assert.Equal((640, 360), (frame.Width, frame.Height)); frames++; }
        Assert.Equal(24, frames);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ASourceThatFailsMidStreamIsReopenedAndTheRunKeepsGoing()
    {
        string folder = TempFolder();
        const string pipeline = "videotestsrc num-buffers=20 pattern=ball ! video/x-raw,width=160,height=120 ! videoconvert ! appsink";
        var options = new LiveAppOptions { Source = pipeline, OutputDirectory = folder, Width = 320, Height = 180, MaxFrames = 70, MaxDuration = TimeSpan.FromSeconds(90) };
        LiveRunSummary summary = HeadlessRunner.Run(options, new SelectedSource(SourceSpec.Parse(pipeline), null, null),
            runtime => new LiveSession(runtime, new LiveSessionOptions { OutputDirectory = folder }), TextWriter.Null, CancellationToken.None);
        Assert.Equal(70, summary.Frames);
        Assert.True(summary.Reconnects >= 2, $"a 20-frame source delivering 70 frames must have been reopened; reconnects {summary.Reconnects}");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Soak_TenThousandFramesKeepTheNumberAndBytesOfGpuBuffersFlat()
    {
        string folder = TempFolder();
        const string pipeline = "videotestsrc pattern=smpte ! video/x-raw,width=160,height=120 ! videoconvert ! appsink sync=false"; // as fast as it goes
        var options = new LiveAppOptions
        {
            Source = pipeline, OutputDirectory = folder, Width = 256, Height = 144, MaxFrames = 10_000, ClassifyEvery = 20, PngEvery = 5_000,
            MaxDuration = TimeSpan.FromMinutes(6),
        };
        LiveRunSummary summary = HeadlessRunner.Run(options, new SelectedSource(SourceSpec.Parse(pipeline), null, null), runtime =>
        {
            // A small classifier (LeNet-5 on grey 28x28) so 500 classifications fit in the soak.
            var model = ModelZoo.Build(runtime.Context, "lenet5", 3);
            return new LiveSession(runtime, new LiveSessionOptions { OutputDirectory = folder, ModelName = "lenet5" },
                Classifier.FromModel(model, ["bars", "ball", "noise"]));
        }, TextWriter.Null, CancellationToken.None);
        Assert.Equal(10_000, summary.Frames);
        Assert.True(summary.Gpu.WarmBuffers > 0, "the classifier's buffers exist after warm-up");
        Assert.True(summary.Gpu.MaxBuffers == summary.Gpu.WarmBuffers && summary.Gpu.LastBuffers == summary.Gpu.WarmBuffers,
            $"GPU buffers after warm-up {summary.Gpu.WarmBuffers}, max {summary.Gpu.MaxBuffers}, end {summary.Gpu.LastBuffers}");
        Assert.True(summary.Gpu.MaxBytes == summary.Gpu.WarmBytes && summary.Gpu.LastBytes == summary.Gpu.WarmBytes,
            $"GPU bytes after warm-up {summary.Gpu.WarmBytes}, max {summary.Gpu.MaxBytes}, end {summary.Gpu.LastBytes}");
        Directory.Delete(folder, recursive: true);
    }
}
