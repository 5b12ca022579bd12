namespace VisionPlugin.Engine;

/// <summary>
/// A float32 tensor on the GPU: a shape (NCHW for images, row-major) and the storage buffer that
/// holds its elements. Owns its buffer: <see cref="Dispose"/> frees it.
/// </summary>
public sealed class Tensor : IDisposable
{
    public Tensor(GpuContext context, TensorShape shape)
    {
        Shape = shape;
        Buffer = new GpuBuffer(context, shape.ElementCount);
    }

    public Tensor(GpuContext context, params int[] dimensions) : this(context, new TensorShape(dimensions)) { }

    public TensorShape Shape { get; }
    public GpuBuffer Buffer { get; }
    public GpuContext Context => Buffer.Context;
    public int ElementCount => Shape.ElementCount;

    /// <summary>A new tensor holding <paramref name="values"/> (row-major, length = product of the shape).</summary>
    public static Tensor FromData(GpuContext context, TensorShape shape, ReadOnlySpan<float> values)
    {
        if (values.Length != shape.ElementCount)
            throw new ArgumentException($"Shape {shape} needs {shape.ElementCount} values; got {values.Length}.", nameof(values));
        var tensor = new Tensor(context, shape);
        tensor.Upload(values);
        return tensor;
    }

    public void Upload(ReadOnlySpan<float> values)
    {
        if (values.Length != ElementCount)
            throw new ArgumentException($"Tensor {Shape} holds {ElementCount} values; got {values.Length}.", nameof(values));
        Buffer.Upload(values);
    }

    public void Download(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"Tensor {Shape} holds {ElementCount} values; destination has {destination.Length}.", nameof(destination));
        Buffer.Download(destination);
    }

    /// <summary>Reads the whole tensor back (waits for the GPU). For tests and small results.</summary>
    public float[] ToArray()
    {
        var values = new float[ElementCount];
        Buffer.Download<float>(values);
        return values;
    }

    public void Fill(float value) => Buffer.Fill(value);

    public void Dispose() => Buffer.Dispose();

    public override string ToString() => $"Tensor{Shape}";
}
