namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A learnable tensor and its gradient (same shape). Backward passes accumulate into
/// <see cref="Gradient"/>; optimizers read it, update <see cref="Value"/> and zero it.
/// Owns both tensors.
/// </summary>
public sealed class Parameter : IDisposable
{
    public Parameter(GpuContext context, string name, TensorShape shape)
    {
        Name = name;
        Value = new Tensor(context, shape);
        Gradient = new Tensor(context, shape);
    }

    /// <summary>Unique within a model, e.g. <c>conv1.weight</c> (the checkpoint key).</summary>
    public string Name { get; internal set; }
    public Tensor Value { get; }
    public Tensor Gradient { get; }
    public TensorShape Shape => Value.Shape;

    /// <summary>False when frozen: optimizers skip it and layers may skip computing its gradient.</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>Multiplies the optimizer's learning rate for this parameter (parameter groups).</summary>
    public float LearningRateScale { get; set; } = 1f;

    /// <summary>False for biases and normalization scales, which weight decay conventionally skips.</summary>
    public bool DecayWeights { get; init; } = true;

    public void ZeroGradient() => Gradient.Fill(0f);

    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
    }

    public override string ToString() => $"{Name} {Shape}{(Trainable ? "" : " (frozen)")}";
}
