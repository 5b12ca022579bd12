namespace VisionPlugin.Host.Capture;

/// <summary>How a <see cref="CaptureWorker"/> plays its source. Immutable; the defaults suit a live preview.</summary>
public sealed record CaptureOptions
{
    public static CaptureOptions Default { get; } = new();

    /// <summary>Files and folders start over at their end instead of ending.</summary>
    public bool Loop { get; init; }

    /// <summary>Files and folders are played at their native rate (like a live source) rather than as fast as they decode.</summary>
    public bool Paced { get; init; }

    /// <summary>
    /// The reader waits until the consumer took the previous frame, so no frame is ever dropped (scripted and headless runs).
    /// Off: the newest frame wins and the reader never waits for the consumer.
    /// </summary>
    public bool Lossless { get; init; }

    /// <summary>Frames per second of an image folder (and of a video whose file gives no rate).</summary>
    public double ImageFolderFps { get; init; } = 10;

    /// <summary>First wait before reopening a lost live source; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(0.25);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open/read timeout handed to FFmpeg for URLs, so a dead server is noticed.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="CaptureWorker.Dispose"/> waits for the capture thread (a blocked native read cannot be interrupted).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The buffer pool frames come from; null for a pool of the worker's own.</summary>
    public FramePool? Pool { get; init; }

    /// <summary>The wait before reconnect attempt <paramref name="attempt"/> (1-based): initial * 2^(attempt-1), capped.</summary>
    public TimeSpan ReconnectDelay(int attempt)
    {
        double seconds = ReconnectInitialDelay.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, ReconnectMaxDelay.TotalSeconds));
    }
}
