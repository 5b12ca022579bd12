namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A differentiable operation with Forward and Backward side by side. Forward saves what Backward
/// needs (its inputs, masks, arg-max indices); Backward returns the input gradients and
/// accumulates parameter gradients. The layer owns its output and input-gradient tensors and reuses
/// them while shapes stay the same, so a training step allocates nothing; returned tensors are
/// valid until the layer's next Forward/Backward. Single-input layers derive from <see cref="UnaryLayer"/>.
/// </summary>
public abstract class Layer : IDisposable
{
    private bool _frozen;
    private Tensor? _ownedOutput, _ownedGradInput;

    protected Layer(string name) => Name = name;

    /// <summary>Unique within a model; parameters are named <c>{Name}.{parameter}</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>Learnable tensors, in a stable order (the checkpoint and optimizer order).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// Non-learnable state saved with checkpoints (BatchNorm running statistics).
    /// </summary>
    public virtual IReadOnlyList<(string Name, Tensor Tensor)> Buffers => [];

    /// <summary>
    /// Frozen layers do not train: their parameters are not trainable and normalization layers use
    /// their running statistics even in training.
    /// </summary>
    public bool Frozen
    {
        get => _frozen;
        set
        {
            _frozen = value;
            foreach (Parameter p in Parameters) p.Trainable = !value;
        }
    }

    /// <summary>Output shape for these input shapes; throws ArgumentException naming the shapes when they do not fit.</summary>
    public abstract TensorShape OutputShape(IReadOnlyList<TensorShape> inputs);

    /// <summary>Computes the output; with <paramref name="training"/> it also saves what Backward needs.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs, bool training);

    /// <summary>
    /// Given dL/doutput, accumulates parameter gradients and returns dL/dinput for each input
    /// (null where <paramref name="needInputGradients"/>[i] is false, e.g. for the image itself).
    /// </summary>
    public abstract IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients);

    /// <summary>Multiply-adds of one forward pass for these input shapes (for summaries).</summary>
    public virtual long MultiplyAdds(IReadOnlyList<TensorShape> inputs) => 0;

    /// <summary>Frees owned tensors and parameters. Idempotent.</summary>
    public virtual void Dispose()
    {
        _ownedOutput?.Dispose();
        _ownedGradInput?.Dispose();
        _ownedOutput = _ownedGradInput = null;
        foreach (Parameter p in Parameters) p.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The layer's output tensor of <paramref name="shape"/>, reused while the shape stays (owned; freed by Dispose).</summary>
    protected Tensor OutputTensor(GpuContext context, TensorShape shape) => Ensure(ref _ownedOutput, context, shape);

    /// <summary>The layer's (first) input-gradient tensor of <paramref name="shape"/>, reused while the shape stays (owned).</summary>
    protected Tensor GradInputTensor(GpuContext context, TensorShape shape) => Ensure(ref _ownedGradInput, context, shape);

    /// <summary>Reuses <paramref name="tensor"/> when it has <paramref name="shape"/>, else replaces it.</summary>
    protected static Tensor Ensure(ref Tensor? tensor, GpuContext context, TensorShape shape)
    {
        if (tensor is not null && tensor.Shape == shape) return tensor;
        tensor?.Dispose();
        tensor = new Tensor(context, shape);
        return tensor;
    }

    public override string ToString() => $"{GetType().Name} '{Name}'";
}

/// <summary>A layer with exactly one input.</summary>
public abstract class UnaryLayer : Layer
{
    protected UnaryLayer(string name) : base(name) { }

    public abstract TensorShape OutputShape(TensorShape input);
    public abstract Tensor Forward(Tensor input, bool training);
    /// <summary>dL/dinput (null when not needed); parameter gradients accumulate.</summary>
    public abstract Tensor? Backward(Tensor gradOutput, bool needInputGradient);
    public virtual long MultiplyAdds(TensorShape input) => 0;

    public sealed override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs) => OutputShape(Single(inputs));
    public sealed override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Forward(Single(inputs), training);
    public sealed override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients) =>
        [Backward(gradOutput, Single(needInputGradients))];
    public sealed override long MultiplyAdds(IReadOnlyList<TensorShape> inputs) => MultiplyAdds(Single(inputs));

    private T Single<T>(IReadOnlyList<T> inputs) =>
        inputs.Count == 1 ? inputs[0] : throw new ArgumentException($"{this} takes one input; got {inputs.Count}.", nameof(inputs));
}
