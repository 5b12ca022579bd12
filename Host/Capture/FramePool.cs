using System.Collections.Concurrent;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// Reuses BGR8 pixel buffers by byte length so a capture loop allocates nothing per frame once warm: <see cref="Rent"/>
/// hands out a <see cref="CapturedFrame"/> whose Dispose returns its buffer here. Keeps at most
/// <see cref="MaxIdlePerSize"/> idle buffers of each length. Thread-safe: the capture thread rents, any thread returns.
/// </summary>
public sealed class FramePool
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> _idle = new();
    private long _rented;
    private long _allocated;

    /// <param name="maxIdlePerSize">Idle buffers kept per byte length (beyond that, returned buffers are left to the GC).</param>
    public FramePool(int maxIdlePerSize = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIdlePerSize, 1);
        MaxIdlePerSize = maxIdlePerSize;
    }

    public int MaxIdlePerSize { get; }

    /// <summary>Frames rented and not yet disposed.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Buffers ever allocated (flat once the pool is warm: the figure a soak test watches).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>A frame of <paramref name="width"/> x <paramref name="height"/> BGR8 pixels (contents undefined).</summary>
    public CapturedFrame Rent(int width, int height, long sequence, int sourceFrameIndex, TimeSpan timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long length = (long)width * height * CapturedFrame.BytesPerPixel;
        if (length > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} BGR8 frame does not fit in one array.");
        byte[]? buffer = null;
        if (_idle.TryGetValue((int)length, out ConcurrentBag<byte[]>? bag)) bag.TryTake(out buffer);
        if (buffer is null)
        {
            buffer = GC.AllocateUninitializedArray<byte>((int)length);
            Interlocked.Increment(ref _allocated);
        }
        Interlocked.Increment(ref _rented);
        return new CapturedFrame(this, buffer, width, height, sequence, sourceFrameIndex, timestamp);
    }

    internal void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _rented);
        ConcurrentBag<byte[]> bag = _idle.GetOrAdd(buffer.Length, _ => []);
        if (bag.Count < MaxIdlePerSize) bag.Add(buffer);
    }

    public override string ToString() => $"FramePool: {Rented} rented, {Allocated} allocated";
}
