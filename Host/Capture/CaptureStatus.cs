namespace VisionPlugin.Host.Capture;

/// <summary>Where a <see cref="CaptureWorker"/> is in its life.</summary>
public enum CaptureState
{
    /// <summary>Opening the source for the first time.</summary>
    Opening,
    /// <summary>Delivering frames.</summary>
    Running,
    /// <summary>A live source was lost or could not be opened; waiting to try again.</summary>
    Reconnecting,
    /// <summary>A file or folder played to its end (and looping is off), or the worker was disposed.</summary>
    Ended,
    /// <summary>A file or folder could not be opened or read; nothing more will come.</summary>
    Failed,
}

/// <summary>
/// A snapshot of a capture worker for the UI, published atomically (read it from any thread).
/// <see cref="Message"/> is written for the user: "Camera 0 not found", "Source lost: ... reconnecting in 2.0 s (attempt 3)".
/// </summary>
public sealed record CaptureStatus(
    string Source,
    CaptureState State,
    string Message,
    double FramesPerSecond,
    int Width,
    int Height,
    long FramesRead,
    long FramesDropped,
    int ReconnectCount)
{
    /// <summary>"Camera 0: Running 640x480 @ 29.9 fps (1234 read, 12 dropped)".</summary>
    public override string ToString() =>
        $"{Source}: {State} {Width}x{Height} @ {FramesPerSecond:F1} fps ({FramesRead} read, {FramesDropped} dropped, {ReconnectCount} reconnects){(Message.Length > 0 ? " - " + Message : "")}";
}
