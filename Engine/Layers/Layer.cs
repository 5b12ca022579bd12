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
    /// <summary>Tensors a slot let go of when its shape changed, by shape, for the next slot that needs that shape.</summary>
    private readonly Dictionary<TensorShape, Stack<Tensor>> _parked = [];
    private int _parkedCount;
    /// <summary>At most this many parked tensors per layer (the oldest shape's go first); two batch sizes need one per slot.</summary>
    private const int MaxParked = 16;

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
        foreach (Stack<Tensor> stack in _parked.Values)
            foreach (Tensor tensor in stack) tensor.Dispose();
        _parked.Clear();
        _parkedCount = 0;
        foreach (Parameter p in Parameters) p.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The layer's output tensor of <paramref name="shape"/>, reused while the shape stays (owned; freed by Dispose).</summary>
    protected Tensor OutputTensor(GpuContext context, TensorShape shape) => Ensure(ref _ownedOutput, context, shape);

    /// <summary>The layer's (first) input-gradient tensor of <paramref name="shape"/>, reused while the shape stays (owned).</summary>
    protected Tensor GradInputTensor(GpuContext context, TensorShape shape) => Ensure(ref _ownedGradInput, context, shape);

    /// <summary>
    /// Reuses <paramref name="tensor"/> when it has <paramref name="shape"/>, else parks it and takes a parked tensor of
    /// <paramref name="shape"/> (or a new one). Training alternates between a full and a last partial batch; parking
    /// makes those steps allocate no GPU buffers once both shapes have been seen (a steady-state arena).
    /// </summary>
    protected Tensor Ensure(ref Tensor? tensor, GpuContext context, TensorShape shape)
    {
        if (tensor is not null && tensor.Shape == shape) return tensor;
        if (tensor is not null) Park(tensor);
        if (_parked.TryGetValue(shape, out Stack<Tensor>? stack) && stack.TryPop(out Tensor? reused))
        {
            _parkedCount--;
            if (stack.Count == 0) _parked.Remove(shape);
            tensor = reused;
            return tensor;
        }
        tensor = new Tensor(context, shape);
        return tensor;
    }

    private void Park(Tensor tensor)
    {
        if (_parkedCount >= MaxParked)
        {
            // Full: free every parked tensor of the first shape parked (dictionary order is insertion order without removals; any shape will do).
            TensorShape victim = _parked.Keys.First();
            foreach (Tensor old in _parked[victim]) { old.Dispose(); _parkedCount--; }
            _parked.Remove(victim);
        }
        if (!_parked.TryGetValue(tensor.Shape, out Stack<Tensor>? stack)) _parked[tensor.Shape] = stack = new Stack<Tensor>();
        stack.Push(tensor);
        _parkedCount++;
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
