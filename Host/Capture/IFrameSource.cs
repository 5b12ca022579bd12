namespace VisionPlugin.Host.Capture;

/// <summary>
/// An opened capture source that a <see cref="CaptureWorker"/> reads on its own thread. Implementations: OpenCV's
/// VideoCapture (<see cref="VideoCaptureSource"/>) and an image folder (<see cref="ImageFolderSource"/>).
/// </summary>
internal interface IFrameSource : IDisposable
{
    /// <summary>The source's own frame rate (file header, folder option); 0 when unknown (cameras often report 0 or a guess).</summary>
    double NominalFps { get; }

    /// <summary>A note for the user about frames skipped so far (e.g. unreadable images); null when there is none.</summary>
    string? Warning { get; }

    /// <summary>
    /// Reads the next frame into a buffer from <paramref name="pool"/>; null at the end of a file or folder, or when a live
    /// source stopped delivering. Frames of live sources are stamped with <paramref name="clock"/>'s time when they arrived.
    /// </summary>
    CapturedFrame? Read(FramePool pool, long sequence, System.Diagnostics.Stopwatch clock);
}

/// <summary>A source that cannot be opened (no such camera, unreadable file, refused pipeline); the message is for the user.</summary>
internal sealed class SourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
