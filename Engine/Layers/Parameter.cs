using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A learnable tensor and its gradient (same shape). Backward passes accumulate into
/// <see cref="Gradient"/>; optimizers read it, update <see cref="Value"/> and zero it.
/// GPU storage is allocated on first use, and an initializer given with <see cref="Initialize"/>
/// runs then (from a seed drawn at construction, so results do not depend on when it happens):
/// a model can be built and summarized (VGG-16's 138M parameters) without allocating anything.
/// Owns both tensors.
/// </summary>
public sealed class Parameter : IDisposable
{
    private readonly GpuContext _context;
    private Tensor? _value, _gradient;
    private (Initializer Initializer, int Seed)? _pending;

    public Parameter(GpuContext context, string name, TensorShape shape)
    {
        _context = context;
        Name = name;
        Shape = shape;
    }

    /// <summary>Unique within a model, e.g. <c>conv1.weight</c> (the checkpoint key).</summary>
    public string Name { get; internal set; }
    public TensorShape Shape { get; }

    /// <summary>The values (allocated and initialized on first access; zeros without an initializer).</summary>
    public Tensor Value => _value ??= Materialize();

    /// <summary>dL/dValue, accumulated by backward passes (allocated zeroed on first access).</summary>
    public Tensor Gradient => _gradient ??= new Tensor(_context, Shape);

    /// <summary>True once GPU storage for the value exists.</summary>
    public bool IsAllocated => _value is not null;

    /// <summary>False when frozen: optimizers skip it and layers skip computing its gradient.</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>Multiplies the optimizer's learning rate for this parameter (parameter groups).</summary>
    public float LearningRateScale { get; set; } = 1f;

    /// <summary>False for biases and normalization scales, which weight decay conventionally skips.</summary>
    public bool DecayWeights { get; init; } = true;

    /// <summary>
    /// Sets how the values start: drawn from <paramref name="initializer"/> with a seed taken from
    /// <paramref name="random"/> now; applied now if the value exists, else on first use.
    /// </summary>
    public void Initialize(Initializer initializer, Random random)
    {
        _pending = (initializer, random.Next());
        if (_value is not null) Apply(_value);
    }

    public void ZeroGradient() => Gradient.Fill(0f);

    private Tensor Materialize()
    {
        var tensor = new Tensor(_context, Shape);
        Apply(tensor);
        return tensor;
    }

    private void Apply(Tensor tensor)
    {
        if (_pending is { } p) p.Initializer.Initialize(tensor, new Random(p.Seed));
    }

    public void Dispose()
    {
        _value?.Dispose();
        _gradient?.Dispose();
        _value = _gradient = null;
    }

    public override string ToString() => $"{Name} {Shape}{(Trainable ? "" : " (frozen)")}";
}
