using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Engine;

/// <summary>
/// A shader storage buffer of 32-bit elements (float, int or uint) living on the GPU.
/// Owned by whoever created it; <see cref="Dispose"/> deletes the GL buffer (idempotent, GL thread only).
/// Uploads and downloads go through the COPY_WRITE/COPY_READ targets so a host's bindings are not disturbed.
/// </summary>
public sealed class GpuBuffer : IDisposable
{
    private readonly GpuContext _context;
    private uint _id;

    /// <summary>Allocates room for <paramref name="elementCount"/> 32-bit elements, zero-filled.</summary>
    public GpuBuffer(GpuContext context, long elementCount)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(elementCount);
        context.VerifyAccess();
        long bytes = Math.Max(1, elementCount) * sizeof(float);
        if (bytes > context.Device.MaxStorageBlockBytes)
            throw new ArgumentOutOfRangeException(nameof(elementCount),
                $"A buffer of {elementCount} elements ({bytes} bytes) exceeds the driver's {context.Device.MaxStorageBlockBytes}-byte storage block limit.");
        _context = context;
        ElementCount = elementCount;
        ByteCount = bytes;
        GL gl = context.GL;
        _id = gl.GenBuffer();
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, _id);
        gl.BufferData(GL.COPY_WRITE_BUFFER, bytes, GL.DYNAMIC_COPY);
        gl.ClearBufferData(GL.COPY_WRITE_BUFFER, 0f);
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, 0);
        context.CheckError($"allocating a {bytes}-byte buffer");
        context.OnBufferCreated(bytes);
    }

    /// <summary>The GL buffer name.</summary>
    public uint Id
    {
        get
        {
            ObjectDisposedException.ThrowIf(_id == 0, this);
            return _id;
        }
    }

    public long ElementCount { get; }
    public long ByteCount { get; }
    public GpuContext Context => _context;

    /// <summary>
    /// Copies <paramref name="data"/> into the buffer starting at 32-bit element <paramref name="elementOffset"/>.
    /// <typeparamref name="T"/> may be any unmanaged type (bytes are packed four to an element).
    /// </summary>
    public void Upload<T>(ReadOnlySpan<T> data, long elementOffset = 0) where T : unmanaged
    {
        CheckRange(ElementsOf<T>(data.Length), elementOffset);
        _context.VerifyAccess();
        GL gl = _context.GL;
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, Id);
        gl.BufferSubData(GL.COPY_WRITE_BUFFER, elementOffset * 4, data);
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, 0);
    }

    /// <summary>Reads <paramref name="destination"/>.Length elements starting at <paramref name="elementOffset"/> (waits for the GPU).</summary>
    public void Download<T>(Span<T> destination, long elementOffset = 0) where T : unmanaged
    {
        CheckRange(ElementsOf<T>(destination.Length), elementOffset);
        _context.VerifyAccess();
        GL gl = _context.GL;
        gl.MemoryBarrier(GL.BUFFER_UPDATE_BARRIER_BIT);
        gl.BindBuffer(GL.COPY_READ_BUFFER, Id);
        gl.GetBufferSubData(GL.COPY_READ_BUFFER, elementOffset * 4, destination);
        gl.BindBuffer(GL.COPY_READ_BUFFER, 0);
        _context.OnReadback();
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value)
    {
        _context.VerifyAccess();
        GL gl = _context.GL;
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, Id);
        gl.ClearBufferData(GL.COPY_WRITE_BUFFER, value);
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, 0);
    }

    /// <summary>Copies <paramref name="elementCount"/> elements from <paramref name="source"/> on the GPU.</summary>
    public void CopyFrom(GpuBuffer source, long elementCount, long sourceOffset = 0, long destinationOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.CheckRange(elementCount, sourceOffset);
        CheckRange(elementCount, destinationOffset);
        _context.VerifyAccess();
        GL gl = _context.GL;
        gl.MemoryBarrier(GL.BUFFER_UPDATE_BARRIER_BIT | GL.SHADER_STORAGE_BARRIER_BIT);
        gl.BindBuffer(GL.COPY_READ_BUFFER, source.Id);
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, Id);
        gl.CopyBufferSubData(GL.COPY_READ_BUFFER, GL.COPY_WRITE_BUFFER, sourceOffset * 4, destinationOffset * 4, elementCount * 4);
        gl.BindBuffer(GL.COPY_READ_BUFFER, 0);
        gl.BindBuffer(GL.COPY_WRITE_BUFFER, 0);
    }

    /// <summary>32-bit elements spanned by <paramref name="count"/> values of <typeparamref name="T"/> (rounded up).</summary>
    private static long ElementsOf<T>(int count) where T : unmanaged =>
        ((long)count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + sizeof(float) - 1) / sizeof(float);

    private void CheckRange(long count, long offset)
    {
        if (offset < 0 || count < 0 || offset + count > ElementCount)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Range [{offset}, {offset + count}) is outside a buffer of {ElementCount} elements.");
    }

    public void Dispose()
    {
        if (_id == 0) return;
        _context.VerifyAccess();
        _context.GL.DeleteBuffer(_id);
        _context.OnBufferDeleted(ByteCount);
        _id = 0;
    }
}
