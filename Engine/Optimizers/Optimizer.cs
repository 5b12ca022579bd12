using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients on the GPU. One <see cref="Step"/>:
/// <list type="number">
/// <item>when clipping by norm, reduces the global gradient norm of all trainable parameters on
///   the GPU and leaves the scale min(1, maxNorm / (norm + 1e-6)) in a GPU buffer (no read-back);</item>
/// <item>for every trainable parameter runs the algorithm's kernel, which reads the gradient,
///   applies clipping and regularization (only when <see cref="Parameter.DecayWeights"/>), updates
///   the value and the algorithm's state, and zeroes the gradient;</item>
/// <item>zeroes the gradients of frozen parameters (their values and state are left alone).</item>
/// </list>
/// The learning rate of a parameter is <see cref="LearningRate"/> * <see cref="Parameter.LearningRateScale"/>.
/// State tensors (velocity, averages) are allocated on a parameter's first update (zeros) and are
/// exposed for checkpoints through <see cref="StateTensors"/> / <see cref="StateSteps"/>.
/// Ownership: the optimizer owns its state tensors and clipping buffers, never the parameters.
/// GL thread only; <see cref="Dispose"/> is idempotent.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly OptimizerOptions _options;
    private readonly Dictionary<Parameter, ParameterState> _states = new(ReferenceEqualityComparer.Instance);
    private GlobalGradientNorm? _clipScale;
    private bool _normComputed;
    private float _learningRate;
    private long _stepCount;
    private bool _disposed;

    protected Optimizer(IReadOnlyList<Parameter> parameters, OptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i] ?? throw new ArgumentException($"{GetType().Name}: parameter {i} is null.", nameof(parameters));
            if (!seen.Add(parameter))
                throw new ArgumentException($"{GetType().Name}: parameter '{parameter.Name}' appears twice in the list.", nameof(parameters));
            if (parameter.Value.Context != parameters[0].Value.Context)
                throw new ArgumentException($"{GetType().Name}: parameter '{parameter.Name}' lives on another GPU context than '{parameters[0].Name}'.", nameof(parameters));
        }
        Parameters = parameters.ToArray();
        _options = options;
        _learningRate = options.LearningRate;
    }

    /// <summary>The parameters this optimizer updates, in the order given (the checkpoint order).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The settings the optimizer was made with (the initial learning rate among them).</summary>
    public OptimizerOptions Options => _options;

    /// <summary>Base learning rate (>= 0, finite); schedules set it between steps.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerChecks.NonNegativeFinite(value, nameof(LearningRate));
            _learningRate = value;
        }
    }

    /// <summary>Number of <see cref="Step"/> calls so far (saved with checkpoints).</summary>
    public long StepCount
    {
        get => _stepCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(StepCount));
            _stepCount = value;
        }
    }

    /// <summary>Names of the per-parameter state tensors, e.g. <c>exp_avg</c>, <c>exp_avg_sq</c> (PyTorch's names).</summary>
    public abstract IReadOnlyList<string> StateSlots { get; }

    /// <summary>
    /// Every state tensor allocated so far, named <c>{parameter}.{slot}</c> (e.g.
    /// <c>conv1.weight.exp_avg</c>), in parameter order. Same shape as the parameter. To restore a
    /// checkpoint call <see cref="AllocateState"/> first, then upload into these tensors.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> StateTensors
    {
        get
        {
            var list = new List<(string, Tensor)>();
            foreach (Parameter parameter in Parameters)
            {
                if (!_states.TryGetValue(parameter, out ParameterState? state)) continue;
                for (int slot = 0; slot < state.Slots.Length; slot++)
                    list.Add(($"{parameter.Name}.{StateSlots[slot]}", state.Slots[slot]));
            }
            return list;
        }
    }

    /// <summary>
    /// How many updates each parameter with state has received, named <c>{parameter}.step</c>
    /// (Adam's bias correction uses it; a parameter unfrozen late starts at 0). Saved with checkpoints.
    /// </summary>
    public IReadOnlyList<(string Name, long Steps)> StateSteps =>
        Parameters.Where(_states.ContainsKey).Select(p => ($"{p.Name}.step", _states[p].Steps)).ToList();

    /// <summary>Restores one entry of <see cref="StateSteps"/> from a checkpoint (allocating that parameter's state if needed).</summary>
    public void RestoreStateSteps(string name, long steps)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        Parameter parameter = Parameters.FirstOrDefault(p => $"{p.Name}.step" == name)
            ?? throw new ArgumentException($"{GetType().Name} has no parameter for state '{name}'; expected '<parameter name>.step'.", nameof(name));
        StateOf(parameter).Steps = steps;
    }

    /// <summary>Allocates (zero) state for every parameter now, e.g. before loading a checkpoint into <see cref="StateTensors"/>.</summary>
    public void AllocateState()
    {
        foreach (Parameter parameter in Parameters) StateOf(parameter);
    }

    /// <summary>
    /// The global gradient norm measured by the last <see cref="Step"/> (before clipping), read back
    /// from the GPU (this waits for it); null unless clipping by norm is on and the last step had a
    /// trainable parameter.
    /// </summary>
    public float? ReadLastGradientNorm() => _normComputed && _clipScale is not null ? _clipScale.ReadNorm() : null;

    /// <summary>Updates every trainable parameter from its gradient, then leaves all gradients zero.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var trainable = new List<Parameter>(Parameters.Count);
        foreach (Parameter parameter in Parameters)
        {
            if (!parameter.Trainable) continue;
            if (!float.IsFinite(parameter.LearningRateScale) || parameter.LearningRateScale < 0)
                throw new ArgumentOutOfRangeException(nameof(Parameter.LearningRateScale), parameter.LearningRateScale,
                    $"Parameter '{parameter.Name}' has LearningRateScale {parameter.LearningRateScale}; it must be finite and >= 0.");
            trainable.Add(parameter);
        }
        if (Parameters.Count > 0)
        {
            GpuContext context = Parameters[0].Value.Context;
            context.VerifyAccess();
            _clipScale ??= new GlobalGradientNorm(context);
            _normComputed = _options.Clipping.MaxNorm is not null && trainable.Count > 0;
            if (_normComputed) _clipScale.Compute(trainable.Select(p => p.Gradient).ToList(), _options.Clipping.MaxNorm!.Value);
            foreach (Parameter parameter in trainable)
            {
                ParameterState state = StateOf(parameter);
                state.Steps++;
                Update(parameter, state.Slots, state.Steps, LearningRate * parameter.LearningRateScale);
            }
            foreach (Parameter parameter in Parameters)
                if (!parameter.Trainable) parameter.ZeroGradient();
        }
        _stepCount++;
    }

    /// <summary>
    /// Runs the algorithm's kernel for one parameter. <paramref name="state"/> holds one tensor per
    /// <see cref="StateSlots"/> entry; <paramref name="step"/> counts this parameter's updates
    /// including this one (1 on the first); <paramref name="learningRate"/> already includes the
    /// parameter's scale. Start from <see cref="StepKernel"/>.
    /// </summary>
    protected abstract void Update(Parameter parameter, Tensor[] state, long step, float learningRate);

    /// <summary>
    /// The program <paramref name="shaderName"/> with the uniforms and bindings every
    /// <c>*_step.comp</c> shares (<c>optimizer_common.glsl</c>) already set: count, lr, clipping,
    /// the penalties (zero when the parameter does not decay), 0 = value, 1 = gradient, 2 = clip scale.
    /// The caller binds its state from binding 3 on and dispatches <c>count</c> invocations.
    /// </summary>
    protected ComputeProgram StepKernel(string shaderName, IReadOnlyDictionary<string, string>? defines, Parameter parameter, float learningRate)
    {
        Regularization penalty = parameter.DecayWeights ? _options.Regularization : Regularization.None;
        return parameter.Value.Context.Programs.Get(shaderName, defines)
            .Set("count", parameter.Value.ElementCount)
            .Set("lr", learningRate)
            .Set("clip_value", _options.Clipping.MaxValue ?? 0f)
            .Set("l1", penalty.L1)
            .Set("l2", penalty.L2)
            .Bind(0, parameter.Value)
            .Bind(1, parameter.Gradient)
            .Bind(2, _clipScale!.Result);
    }

    private ParameterState StateOf(Parameter parameter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_states.TryGetValue(parameter, out ParameterState? state)) return state;
        var slots = new Tensor[StateSlots.Count];
        for (int i = 0; i < slots.Length; i++) slots[i] = new Tensor(parameter.Value.Context, parameter.Shape);
        state = new ParameterState(slots);
        _states[parameter] = state;
        return state;
    }

    /// <summary>Frees the state tensors and clipping buffers (GL thread). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        foreach (ParameterState state in _states.Values)
            foreach (Tensor tensor in state.Slots) tensor.Dispose();
        _states.Clear();
        _clipScale?.Dispose();
        _clipScale = null;
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    public override string ToString() =>
        $"{GetType().Name} lr {LearningRate:G4}, {_options.Regularization}, {_options.Clipping}, {Parameters.Count} parameters";

    /// <summary>One parameter's state tensors (in <see cref="StateSlots"/> order) and its update count.</summary>
    private sealed class ParameterState(Tensor[] slots)
    {
        public Tensor[] Slots { get; } = slots;
        public long Steps { get; set; }
    }
}
