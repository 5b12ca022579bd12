using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Host.Window;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Live;

/// <summary>
/// The live window: GLFW window + the plugin attached to its context, the capture worker on its own thread,
/// and one loop on this (GL) thread that takes the newest frame, applies keys, spends the frame budget on
/// classification/training slices, draws preview + HUD and swaps with vsync.
/// </summary>
internal static class WindowRunner
{
    public static LiveRunSummary Run(LiveAppOptions options, SelectedSource source, Func<VisionRuntime, LiveSession> createSession, TextWriter log)
    {
        using var window = new GlfwWindow(new GlfwWindowOptions
        {
            Title = options.WindowTitle ?? $"VisionPlugin — {source.Spec}", Width = options.Width, Height = options.Height, EscapeCloses = false,
        });
        using var runtime = VisionRuntime.Attach(window.GetProcAddress);
        using var session = createSession(runtime);
        using var renderer = new LiveRenderer(runtime.Context, LiveFonts.Rasterizer);
        using var worker = new CaptureWorker(source.Spec, new CaptureOptions { Loop = !source.Spec.IsLive, Paced = true });
        ScriptedSession? script = source.Timeline is { } timeline ? new ScriptedSession(timeline, options.CaptureEvery) : null;
        using var predictions = new PredictionLog(Path.Combine(options.OutputDirectory, "window-predictions.jsonl"));
        var processor = new LiveFrameProcessor(session, script, predictions, source.Spec.ToString());
        var keyboard = new KeyboardController();
        var fps = new FpsMeter();
        bool showHelp = options.ShowHelp;
        var gpu = new GpuMemoryWatch(runtime.Context);
        CapturedFrame? current = null;
        string? notice = source.Notice;
        try
        {
            while (!window.ShouldClose && !keyboard.QuitRequested && !LiveLimits.Reached(options, fps.Frames, processor))
            {
                window.PollEvents();
                if (worker.Frames.TryTake(out CapturedFrame? next) && next is not null)
                {
                    current?.Dispose();
                    current = next;
                    renderer.Upload(current);
                    processor.OnNewFrame(current);
                }
                var commands = keyboard.Update(window.DrainKeyEvents(), window.DrainText(), DateTime.UtcNow);
                if (commands.OfType<LiveCommand.ToggleHelp>().Any()) showHelp = !showHelp;
                processor.Apply(commands, current);
                processor.Work(current, options.FrameBudget, renderer.PreviewTexture); // the frame is on the GPU already
                HudState hud = processor.Hud(keyboard, showHelp, SourceWarning(worker.Status, notice), fps.FramesPerSecond, current,
                    i => source.Timeline?.SegmentAt(i)?.Label);
                renderer.Draw(hud, window.FramebufferWidth, window.FramebufferHeight);
                if (commands.OfType<LiveCommand.Screenshot>().Any())
                    session.Say("Screenshot saved to " + SaveScreenshot(runtime, window, Path.Combine(options.OutputDirectory, $"screenshot-{DateTime.Now:yyyyMMdd-HHmmss}.png")));
                bool last = window.ShouldClose || keyboard.QuitRequested || LiveLimits.Reached(options, fps.Frames + 1, processor);
                if (last && options.ScreenshotPath is { } shot) SaveScreenshot(runtime, window, shot);
                window.SwapBuffers();
                fps.Tick();
                gpu.Sample(fps.Frames);
                if (fps.Frames == HeadlessRunner.NoticeFrames) notice = null; // the fallback notice shows for the first seconds
            }
        }
        finally
        {
            current?.Dispose();
        }
        return LiveRunSummary.From(processor, fps, worker.Status, headlessOutput: null, gpu);
    }

    /// <summary>Reads the back buffer (what the next swap shows) into a PNG; returns the path.</summary>
    private static string SaveScreenshot(VisionRuntime runtime, GlfwWindow window, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        PngWriter.Save(path, FramebufferReader.ReadRgb(runtime.Context, window.FramebufferWidth, window.FramebufferHeight));
        return path;
    }

    /// <summary>The source's problem, if any, for the warning panel.</summary>
    public static string? SourceWarning(CaptureStatus status, string? notice) => status.State switch
    {
        CaptureState.Running or CaptureState.Opening => notice,
        CaptureState.Ended => "Source ended" + (status.Message.Length > 0 ? ": " + status.Message : ""),
        _ => status.Message.Length > 0 ? status.Message : status.State.ToString(),
    };
}
