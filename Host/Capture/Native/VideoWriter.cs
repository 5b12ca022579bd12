namespace VisionPlugin.Host.Capture.Native;

/// <summary>
/// <c>cv::VideoWriter</c> (FFmpeg backend) through the shim: BGR8 frames of one size into a video file whose container
/// follows the extension. Dispose (idempotent) finishes the file. Use from one thread at a time.
/// </summary>
internal sealed unsafe class VideoWriter : IDisposable
{
    private nint _handle;

    private VideoWriter(nint handle, int width, int height) => (_handle, Width, Height) = (handle, width, height);

    public int Width { get; }
    public int Height { get; }

    /// <summary>Opens <paramref name="path"/>; null when OpenCV could not (no encoder for the fourcc, unwritable path).</summary>
    public static VideoWriter? TryOpen(string path, string fourcc, double fps, int width, int height)
    {
        if (fourcc.Length != 4) throw new ArgumentException($"A fourcc has 4 characters; got \"{fourcc}\".", nameof(fourcc));
        byte[] pathUtf8 = OpenCvShim.Utf8(path), fourccUtf8 = OpenCvShim.Utf8(fourcc);
        nint handle;
        int code;
        fixed (byte* pathPointer = pathUtf8)
        fixed (byte* fourccPointer = fourccUtf8)
            code = OpenCvShim.Check(OpenCvShim.Api.WriterOpen(pathPointer, fourccPointer, fps, width, height, &handle), "VideoWriter open");
        return code == OpenCvShim.Ok ? new VideoWriter(handle, width, height) : null;
    }

    /// <summary><c>write(frame)</c> of a BGR8 image of the writer's size, rows <paramref name="stride"/> bytes apart.</summary>
    public void Write(ReadOnlySpan<byte> bgr, int stride)
    {
        nint handle = _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(VideoWriter));
        fixed (byte* pointer = bgr)
            OpenCvShim.Check(OpenCvShim.Api.WriterWrite(handle, pointer, bgr.Length, Width, Height, stride), "VideoWriter write");
    }

    public void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) OpenCvShim.Api.WriterRelease(handle);
    }
}
