using VisionPlugin.Host.Capture.Native;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// Writes BGR8 frames into an MPEG-4 file (OpenCV VideoWriter, FFmpeg, fourcc <c>mp4v</c>). Frames go to a temporary file
/// beside the target (<c>name.partial-XXXX.mp4</c>) that <see cref="Complete"/> renames over the target, so a reader never
/// sees a half-written video. <see cref="Dispose"/> completes the file when frames were written and nothing failed, and
/// deletes the temporary file otherwise. Not thread-safe.
/// </summary>
public sealed class Mp4Writer : IDisposable
{
    public const string FourCc = "mp4v";

    private VideoWriter? _writer;
    private readonly string _temporaryPath;
    private bool _failed;

    private Mp4Writer(VideoWriter writer, string path, string temporaryPath, int width, int height, double fps)
    {
        _writer = writer;
        Path = path;
        _temporaryPath = temporaryPath;
        (Width, Height, Fps) = (width, height, fps);
    }

    /// <summary>The final file (it appears when the writer completes).</summary>
    public string Path { get; }
    public int Width { get; }
    public int Height { get; }
    public double Fps { get; }
    public int FramesWritten { get; private set; }

    /// <summary>Opens a writer for <paramref name="width"/> x <paramref name="height"/> BGR8 frames at <paramref name="fps"/>.</summary>
    /// <exception cref="ArgumentException">The path does not end in .mp4, or its folder does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the rate is not positive (or the size is odd: mp4v needs even sides).</exception>
    /// <exception cref="IOException">OpenCV could not open the file (no FFmpeg encoder, unwritable folder).</exception>
    public static Mp4Writer Open(string path, int width, int height, double fps)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.Path.GetExtension(path).Equals(".mp4", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Mp4Writer writes .mp4 files; got \"{path}\".", nameof(path));
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0 || width > 8192 || height > 8192)
            throw new ArgumentOutOfRangeException(nameof(width), $"An mp4v video needs even sides of 2..8192 pixels; got {width}x{height}.");
        if (!(fps > 0 && fps <= 1000)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "Frames per second must be in (0, 1000].");
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new ArgumentException($"The folder of {full} does not exist.", nameof(path));
        string temporary = System.IO.Path.Combine(folder, $"{System.IO.Path.GetFileNameWithoutExtension(full)}.partial-{Guid.NewGuid():N}.mp4");
        VideoWriter writer = VideoWriter.TryOpen(temporary, FourCc, fps, width, height)
            ?? throw new IOException($"OpenCV could not open a VideoWriter for {full} ({FourCc}, {width}x{height} @ {fps} fps): no FFmpeg MPEG-4 encoder, or the folder is not writable.");
        return new Mp4Writer(writer, full, temporary, width, height, fps);
    }

    /// <summary>Appends one frame: Height rows of <paramref name="stride"/> bytes, Width * 3 of them BGR8 pixels.</summary>
    /// <exception cref="ArgumentException">The buffer or stride does not fit the writer's size.</exception>
    public void Write(ReadOnlySpan<byte> bgr, int stride)
    {
        VideoWriter writer = _writer ?? throw new ObjectDisposedException(nameof(Mp4Writer), "The video was completed or disposed.");
        int rowBytes = Width * CapturedFrame.BytesPerPixel;
        if (stride < rowBytes) throw new ArgumentException($"Stride {stride} is less than a {Width}-pixel BGR8 row ({rowBytes} bytes).", nameof(stride));
        long needed = (long)stride * (Height - 1) + rowBytes;
        if (bgr.Length < needed) throw new ArgumentException($"A {Width}x{Height} BGR8 frame with stride {stride} needs {needed} bytes; got {bgr.Length}.", nameof(bgr));
        try
        {
            writer.Write(bgr, stride);
        }
        catch
        {
            _failed = true;
            throw;
        }
        FramesWritten++;
    }

    /// <summary>Writes a captured frame (it must have the writer's size).</summary>
    public void Write(CapturedFrame frame)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"This video is {Width}x{Height}; the frame is {frame.Width}x{frame.Height}.", nameof(frame));
        Write(frame.Pixels.Span, frame.Stride);
    }

    /// <summary>Finishes the file and moves it to <see cref="Path"/> (replacing an existing file). Idempotent.</summary>
    /// <exception cref="InvalidOperationException">No frame was written (an empty video is not a valid file).</exception>
    public void Complete()
    {
        if (_writer is null) return;
        if (FramesWritten == 0) throw new InvalidOperationException($"No frames were written to {Path}; nothing to complete.");
        _writer.Dispose();
        _writer = null;
        File.Move(_temporaryPath, Path, overwrite: true);
    }

    public void Dispose()
    {
        if (_writer is null) return;
        if (FramesWritten > 0 && !_failed) { Complete(); return; }
        _writer.Dispose();
        _writer = null;
        File.Delete(_temporaryPath);
    }
}
