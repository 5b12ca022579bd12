namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// An NCHW float32 batch seen through the buffer that holds it: a <see cref="Tensor"/>'s, or a scratch buffer
/// (<see cref="GpuContext.Scratch"/>) an augmentation pipeline reuses between steps. The buffer may be longer
/// than the shape needs; elements past <c>Shape.ElementCount</c> are ignored. Does not own the buffer.
/// </summary>
public readonly record struct ImageBatch
{
    /// <summary>A view of <paramref name="buffer"/> as a batch of shape <paramref name="shape"/> (rank 4, [N,C,H,W]).</summary>
    /// <exception cref="ArgumentException">The shape is not rank 4 with positive sizes, or the buffer is too short.</exception>
    public ImageBatch(GpuBuffer buffer, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (shape.Rank != 4 || shape.ElementCount <= 0)
            throw new ArgumentException($"An image batch is [N,C,H,W] with positive sizes; got {shape}.", nameof(shape));
        if (buffer.ElementCount < shape.ElementCount)
            throw new ArgumentException($"A {shape} batch needs {shape.ElementCount} elements; the buffer holds {buffer.ElementCount}.", nameof(buffer));
        Buffer = buffer;
        Shape = shape;
    }

    /// <summary>The buffer holding the batch from element 0.</summary>
    public GpuBuffer Buffer { get; }

    /// <summary>[N,C,H,W].</summary>
    public TensorShape Shape { get; }

    /// <summary>The context that owns the buffer.</summary>
    public GpuContext Context => Buffer.Context;

    /// <summary>Images in the batch.</summary>
    public int N => Shape.N;

    /// <summary>Channels per image.</summary>
    public int C => Shape.C;

    /// <summary>Image height.</summary>
    public int H => Shape.H;

    /// <summary>Image width.</summary>
    public int W => Shape.W;

    /// <summary>Elements per image: C * H * W.</summary>
    public int SampleSize => C * H * W;

    /// <summary>A batch view of the scratch buffer <paramref name="slot"/> of <paramref name="context"/>, grown to fit.</summary>
    public static ImageBatch Scratch(GpuContext context, string slot, TensorShape shape) =>
        new(context.Scratch(slot, shape.ElementCount), shape);

    /// <summary>The tensor's whole buffer, with its shape.</summary>
    /// <exception cref="ArgumentException">The tensor is not rank 4.</exception>
    public static implicit operator ImageBatch(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new ImageBatch(tensor.Buffer, tensor.Shape);
    }

    /// <summary>True when both views start in the same GPU buffer (an op would then run in place).</summary>
    public bool SharesBufferWith(ImageBatch other) => ReferenceEquals(Buffer, other.Buffer);

    /// <summary>"ImageBatch[N,C,H,W]".</summary>
    public override string ToString() => $"ImageBatch{Shape}";
}
