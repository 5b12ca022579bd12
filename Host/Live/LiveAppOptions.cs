namespace VisionPlugin.Host.Live;

/// <summary>What <c>./visionplugin run</c> was asked to do.</summary>
internal sealed record LiveAppOptions
{
    /// <summary>"auto" (camera 0, else the sample video), "sample", a camera index, a file, a folder, a URL or a GStreamer pipeline.</summary>
    public string Source { get; init; } = "auto";

    /// <summary>A classifier file (.onnx, checkpoint, session folder); null starts an empty fine-tuning session.</summary>
    public string? ModelPath { get; init; }

    /// <summary>True: no window (annotated frames, MP4 and a log are written); null: headless when there is no display.</summary>
    public bool? Headless { get; init; }

    /// <summary>Output folder (sessions, exports, headless output).</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "live");

    /// <summary>Stop after this many frames (null: when the script is done, the source ends, or the window closes).</summary>
    public int? MaxFrames { get; init; }

    /// <summary>Window or render size.</summary>
    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 720;

    /// <summary>GPU time the window loop gives classification and training per frame.</summary>
    public TimeSpan FrameBudget { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Headless: time a training slice may take per output frame.</summary>
    public TimeSpan HeadlessTrainingSlice { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Headless: classify every n-th frame (the others show the latest predictions).</summary>
    public int ClassifyEvery { get; init; } = 2;

    /// <summary>Headless: save every n-th annotated frame as PNG.</summary>
    public int PngEvery { get; init; } = 30;

    /// <summary>Epochs a scripted or keyed training run takes.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Scripted sample-video session: capture every n-th frame of each segment's capture part.</summary>
    public int CaptureEvery { get; init; } = 3;

    /// <summary>Seconds to wait for the default camera before falling back to the sample video.</summary>
    public TimeSpan CameraProbe { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Sample video cache folder (null: ~/.cache/visionplugin/sample).</summary>
    public string? SampleDirectory { get; init; }

    /// <summary>Start with the help panel shown.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Stop when this holds (tests and scripts driving a run); checked once per frame.</summary>
    public Func<LiveSession, bool>? Until { get; init; }

    /// <summary>Window title (null: "VisionPlugin — source").</summary>
    public string? WindowTitle { get; init; }

    /// <summary>Save the last frame shown (preview + overlay, read back with glReadPixels) as a PNG here.</summary>
    public string? ScreenshotPath { get; init; }

    /// <summary>Stop after this much wall time (null: no limit).</summary>
    public TimeSpan? MaxDuration { get; init; }
}
