using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// One frame from a capture source: <see cref="Width"/> x <see cref="Height"/> BGR8 pixels (OpenCV's order, rows
/// <see cref="Stride"/> = Width * 3 bytes apart, no padding) in a buffer rented from a <see cref="FramePool"/>.
/// The consumer owns it and must dispose it (idempotent), which returns the buffer to the pool; the pixels must not be
/// used afterwards (<see cref="Pixels"/> then throws).
/// </summary>
public sealed class CapturedFrame : IDisposable
{
    public const int BytesPerPixel = 3;

    private readonly FramePool _pool;
    private byte[]? _buffer;

    internal CapturedFrame(FramePool pool, byte[] buffer, int width, int height, long sequence, int sourceFrameIndex, TimeSpan timestamp)
    {
        _pool = pool;
        _buffer = buffer;
        Width = width;
        Height = height;
        Sequence = sequence;
        SourceFrameIndex = sourceFrameIndex;
        Timestamp = timestamp;
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * BytesPerPixel;

    /// <summary>0, 1, 2, ... in the order the worker read frames (counts across reconnects and loops).</summary>
    public long Sequence { get; }

    /// <summary>Position in the video file or image folder (0-based, restarting when looping); -1 for live sources.</summary>
    public int SourceFrameIndex { get; }

    /// <summary>Media time (frame index / fps) for files and folders; time since the worker started for live sources.</summary>
    public TimeSpan Timestamp { get; }

    public bool IsDisposed => Volatile.Read(ref _buffer) is null;

    /// <summary>The BGR8 pixels, Stride * Height bytes.</summary>
    /// <exception cref="ObjectDisposedException">The frame was disposed.</exception>
    public Memory<byte> Pixels => Volatile.Read(ref _buffer) is { } buffer ? buffer.AsMemory(0, Stride * Height) : throw new ObjectDisposedException(nameof(CapturedFrame));

    /// <summary>The pixels as a plugin <see cref="Frame"/> (<see cref="PixelFormat.Bgr24"/>), valid until this frame is disposed.</summary>
    public Frame AsPluginFrame() => new(Pixels, Width, Height, Stride, PixelFormat.Bgr24);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) _pool.Return(buffer);
    }

    public override string ToString() => $"frame #{Sequence} {Width}x{Height} BGR8 (source index {SourceFrameIndex}, {Timestamp.TotalSeconds:F3} s)";
}
