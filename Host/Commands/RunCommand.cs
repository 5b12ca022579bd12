using System.CommandLine;
using VisionPlugin.Classification;
using VisionPlugin.FineTuning;
using VisionPlugin.Host.Live;
using VisionPlugin.Host.Window;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>run</c>: the main job — the live classification window. On the default camera it starts an empty
/// fine-tuning session (keys 1-9 capture, T trains, H help); with no camera it says so and plays the sample
/// video with a scripted session; with no display it does the same headless and writes annotated frames,
/// an MP4 and a per-second prediction log.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "auto (camera 0, else the sample video), sample, a camera index, a video file, an image folder, an rtsp/http URL, or a GStreamer pipeline.", DefaultValueFactory = _ => "auto" };
        var model = new Option<string?>("--model") { Description = "Classify with this model (.onnx, train/finetune checkpoint, session folder) instead of an empty fine-tuning session." };
        var headless = new Option<bool>("--headless") { Description = "No window even when a display exists (automatic without DISPLAY)." };
        var output = new Option<string>("--output") { Description = "Folder for sessions, exports and headless output.", DefaultValueFactory = _ => Path.Combine("out", "live") };
        var frames = new Option<int?>("--frames") { Description = "Stop after this many frames." };
        var width = new Option<int>("--width") { Description = "Window / output width.", DefaultValueFactory = _ => 1280 };
        var height = new Option<int>("--height") { Description = "Window / output height.", DefaultValueFactory = _ => 720 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per training run (T).", DefaultValueFactory = _ => 30 };
        var classifyEvery = new Option<int>("--classify-every") { Description = "Headless: classify every n-th frame.", DefaultValueFactory = _ => 2 };
        var captureEvery = new Option<int>("--capture-every") { Description = "Scripted session: capture every n-th frame of each segment's first part.", DefaultValueFactory = _ => 3 };
        var help = new Option<bool>("--show-help") { Description = "Start with the key help panel shown." };
        var screenshot = new Option<string?>("--screenshot") { Description = "Save the last frame shown (preview + overlay) as a PNG here." };
        var duration = new Option<double?>("--seconds") { Description = "Stop after this many seconds." };
        var json = CommandSupport.JsonOption();
        var command = new Command("run", "The live classification window: camera (or the sample video) -> live predictions and in-window fine-tuning.")
        {
            source, model, headless, output, frames, width, height, epochs, classifyEvery, captureEvery, help, screenshot, duration, json,
        };
        command.SetAction(parse => CommandSupport.Guard("run", () =>
        {
            var options = new LiveAppOptions
            {
                Source = parse.GetValue(source)!, ModelPath = parse.GetValue(model), Headless = parse.GetValue(headless) ? true : null,
                OutputDirectory = parse.GetValue(output)!, MaxFrames = parse.GetValue(frames), Width = parse.GetValue(width),
                Height = parse.GetValue(height), Epochs = parse.GetValue(epochs), ClassifyEvery = parse.GetValue(classifyEvery),
                CaptureEvery = parse.GetValue(captureEvery), ShowHelp = parse.GetValue(help), ScreenshotPath = parse.GetValue(screenshot),
                MaxDuration = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            Validate(options);
            LiveRunSummary summary = Run(options, Console.Out);
            Print(summary);
            if (parse.GetValue(json)) CommandSupport.PrintJson(summary.ToJson());
            return 0;
        }));
        return command;
    }

    private static void Validate(LiveAppOptions o)
    {
        if (o.Width is < 160 or > 7680) throw new ArgumentOutOfRangeException("--width", o.Width, "Width must be 160..7680.");
        if (o.Height is < 120 or > 4320) throw new ArgumentOutOfRangeException("--height", o.Height, "Height must be 120..4320.");
        if (o.MaxFrames is < 1) throw new ArgumentOutOfRangeException("--frames", o.MaxFrames, "--frames must be at least 1.");
        if (o.ClassifyEvery < 1) throw new ArgumentOutOfRangeException("--classify-every", o.ClassifyEvery, "--classify-every must be at least 1.");
        if (o.CaptureEvery < 1) throw new ArgumentOutOfRangeException("--capture-every", o.CaptureEvery, "--capture-every must be at least 1.");
        if (o.MaxDuration is { } d && d <= TimeSpan.Zero) throw new ArgumentOutOfRangeException("--seconds", d.TotalSeconds, "--seconds must be positive.");
        if (o.Epochs < 1) throw new ArgumentOutOfRangeException("--epochs", o.Epochs, "--epochs must be at least 1.");
    }

    /// <summary>Picks the source, then runs the window (or headless when there is no display).</summary>
    public static LiveRunSummary Run(LiveAppOptions options, TextWriter log)
    {
        Capture.OpenCvImageDecoder.Register();
        SelectedSource source = SourceSelection.Select(options, log);
        LiveSession CreateSession(VisionRuntime runtime) => new(runtime, new LiveSessionOptions
        {
            OutputDirectory = options.OutputDirectory,
            FineTune = new FineTuneOptions { Epochs = options.Epochs, ValidationSplit = 0, BatchSize = 16, CheckpointEveryEpoch = false }, // every sample trains: live accuracy is the test; S saves
            ModelName = options.ModelPath is null ? "" : Path.GetFileName(Path.TrimEndingDirectorySeparator(options.ModelPath)),
        }, options.ModelPath is null ? null : ClassifierFiles.Load(runtime, options.ModelPath));

        bool headless = options.Headless ?? string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"));
        if (!headless)
        {
            try
            {
                return WindowRunner.Run(options, source, CreateSession, log);
            }
            catch (GlfwException e) when (e.IsNoDisplay)
            {
                log.WriteLine($"No display ({e.GlfwMessage}); running headless.");
            }
        }
        else if (options.Headless is null) log.WriteLine("No display (DISPLAY is not set); running headless.");
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += stop;
        try
        {
            return HeadlessRunner.Run(options, source, CreateSession, log, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= stop;
        }
    }

    private static void Print(LiveRunSummary s)
    {
        Console.WriteLine($"run: {s.Frames} frames at {s.FramesPerSecond:F1} frames/s from {s.Source} ({s.SourceState})");
        if (s.Classes.Count > 0) Console.WriteLine("classes: " + string.Join(", ", s.Classes.Select(c => $"{c.Key}={c.Name} ({c.SampleCount} samples)")));
        if (s.Accuracy is { } a) Console.WriteLine($"live accuracy vs segment labels: {s.Correct}/{s.Scored} = {a:P1} (script {s.ScriptPhase})");
        if (s.Output is { } o) Console.WriteLine($"wrote {o.Video}, {o.PngCount} PNG frames in {o.FramesFolder}, {o.LogLines} log lines in {o.Log}");
    }
}
