namespace VisionPlugin.Host.Capture.Native;

/// <summary>
/// An 8-bit image owned by the shim (<c>cv::Mat</c>): the target of <see cref="VideoCapture.Read"/> and
/// <see cref="Cv2.ImDecode"/>. Reused across reads, so a capture loop allocates nothing per frame on the native side.
/// Not thread-safe; dispose once (idempotent).
/// </summary>
internal sealed unsafe class Mat : IDisposable
{
    private nint _handle;

    public Mat()
    {
        nint handle;
        OpenCvShim.Check(OpenCvShim.Api.MatCreate(&handle), "Mat create");
        _handle = handle;
    }

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Mat));

    /// <summary>(columns, rows, channels); (0, 0, _) when empty.</summary>
    public (int Width, int Height, int Channels) Size
    {
        get
        {
            int width, height, channels;
            OpenCvShim.Check(OpenCvShim.Api.MatSize(Handle, &width, &height, &channels), "Mat size");
            return (width, height, channels);
        }
    }

    /// <summary>Copies the pixels as they are into <paramref name="target"/>, rows <paramref name="stride"/> bytes apart.</summary>
    public void CopyTo(Span<byte> target, int stride)
    {
        fixed (byte* pointer = target)
            OpenCvShim.Check(OpenCvShim.Api.MatCopyTo(Handle, pointer, target.Length, stride), "Mat copyTo");
    }

    public void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) OpenCvShim.Api.MatRelease(handle);
    }
}
