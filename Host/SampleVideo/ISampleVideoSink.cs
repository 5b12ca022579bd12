namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Where <see cref="SampleVideoBuilder"/> sends frames: an MP4 writer, a folder of PNGs, a test's memory.
/// Called in order <see cref="Begin"/>, <see cref="Write"/> once per frame, <see cref="Complete"/>;
/// a sink that is disposed without <see cref="Complete"/> leaves no finished output behind that a reader could
/// take for a whole video (the caller of <see cref="SampleVideoCache.EnsureBuilt"/> writes to a temporary path anyway).
/// </summary>
public interface ISampleVideoSink : IDisposable
{
    /// <summary>Starts the video.</summary>
    /// <param name="width">Frame columns.</param>
    /// <param name="height">Frame rows.</param>
    /// <param name="fps">Frames per second.</param>
    void Begin(int width, int height, int fps);

    /// <summary>Appends one frame.</summary>
    /// <param name="bgr">width * height * 3 bytes, BGR8, top row first, no row padding (OpenCV's CV_8UC3 layout).</param>
    void Write(ReadOnlySpan<byte> bgr);

    /// <summary>Finishes the video (flushes, closes the file); no frame may follow.</summary>
    void Complete();
}
