using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients on the GPU, reading nothing back. One <see cref="Step"/>
/// (or <see cref="GuardedStep"/>):
/// <list type="number">
/// <item>when clipping by norm or guarding, reduces the global gradient norm of all trainable parameters
///   on the GPU and leaves the step status [scale, norm, accepted] in a GPU buffer (<see cref="StepStatus"/>):
///   scale = min(1, maxNorm / (norm + 1e-6)); accepted = 0 when a guarded step's loss or norm is NaN/Inf;</item>
/// <item>advances each trained parameter's update counter t on the GPU when the step is accepted
///   (Adam's bias corrections are computed there from t, so a rejected step does not disturb them);</item>
/// <item>for every trainable parameter runs the algorithm's kernel, which reads the gradient,
///   applies clipping and regularization (only when <see cref="Parameter.DecayWeights"/>), updates
///   the value and the algorithm's state, and zeroes the gradient — or, on a rejected step, only
///   zeroes the gradient;</item>
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
    private GpuBuffer? _acceptAll; // [1, 0, 1]: the status of a step neither clipped by norm nor guarded
    private ParameterStepCounters? _counters;
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

    /// <summary>Number of <see cref="Step"/> / <see cref="GuardedStep"/> calls so far, rejected ones included (saved with checkpoints).</summary>
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
    /// How many accepted updates each parameter with state has received, named <c>{parameter}.step</c>
    /// (Adam's bias correction uses it; a parameter unfrozen late starts at 0). Saved with checkpoints.
    /// The counts live on the GPU: reading this waits for the GPU.
    /// </summary>
    public IReadOnlyList<(string Name, long Steps)> StateSteps
    {
        get
        {
            int[] counts = _counters?.Read() ?? new int[Parameters.Count];
            return Parameters.Select((p, slot) => (p, slot)).Where(x => _states.ContainsKey(x.p))
                .Select(x => ($"{x.p.Name}.step", (long)counts[x.slot])).ToList();
        }
    }

    /// <summary>Restores one entry of <see cref="StateSteps"/> from a checkpoint (allocating that parameter's state if needed).</summary>
    public void RestoreStateSteps(string name, long steps)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        int slot = Parameters.ToList().FindIndex(p => $"{p.Name}.step" == name);
        if (slot < 0) throw new ArgumentException($"{GetType().Name} has no parameter for state '{name}'; expected '<parameter name>.step'.", nameof(name));
        StateOf(Parameters[slot]);
        Counters().Set(slot, steps);
    }

    /// <summary>Allocates (zero) state for every parameter now, e.g. before loading a checkpoint into <see cref="StateTensors"/>.</summary>
    public void AllocateState()
    {
        foreach (Parameter parameter in Parameters) StateOf(parameter);
    }

    /// <summary>
    /// The global gradient norm measured by the last step (before clipping), read back from the GPU (this waits for
    /// it); null unless the last step measured one: clipping by norm is on and it had a trainable parameter, or it was a
    /// <see cref="GuardedStep"/>.
    /// </summary>
    public float? ReadLastGradientNorm() => _normComputed && _clipScale is not null ? _clipScale.ReadNorm() : null;

    /// <summary>
    /// [clip scale, gradient norm, accepted (1 or 0)] of the last step, on the GPU: bind it to kernels that
    /// should count only accepted steps (e.g. training metrics). [1, 0, 1] for a step neither clipped by norm nor guarded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer has no parameters (there is no GPU context to hold a status).</exception>
    public GpuBuffer StepStatus
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Parameters.Count == 0) throw new InvalidOperationException($"{GetType().Name} has no parameters, so no step status.");
            return _normComputed ? _clipScale!.Result : AcceptAll();
        }
    }

    /// <summary>Whether the last step was applied, read back from the GPU (waits for it; for tests and diagnostics).</summary>
    public bool ReadLastStepAccepted()
    {
        Span<float> status = stackalloc float[3];
        StepStatus.Download(status);
        return status[2] != 0f;
    }

    /// <summary>Updates every trainable parameter from its gradient, then leaves all gradients zero.</summary>
    public void Step() => Run(guarded: false, loss: null);

    /// <summary>
    /// Like <see cref="Step"/>, but the step is applied only when every trainable gradient (their global
    /// norm) and <paramref name="loss"/> (one element, when given) are finite — decided on the GPU, with no
    /// read-back. A rejected step leaves values, optimizer state and update counters untouched and zeroes
    /// the gradients; <see cref="StepStatus"/>[2] says which happened. A norm that overflows float counts as non-finite.
    /// </summary>
    /// <param name="loss">The step's loss on the GPU (a one-element tensor), or null to check the gradients only.</param>
    public void GuardedStep(Tensor? loss = null)
    {
        if (loss is not null && loss.ElementCount != 1)
            throw new ArgumentException($"{GetType().Name}.GuardedStep: the loss is one element; got a tensor {loss.Shape}.", nameof(loss));
        Run(guarded: true, loss);
    }

    /// <summary>
    /// The betas whose powers <c>optimizer_advance.comp</c> turns into bias corrections per parameter
    /// (<see cref="BiasCorrections"/>); (0, 0) for algorithms without bias correction.
    /// </summary>
    protected virtual (float Beta1, float Beta2) BiasCorrectionBetas => (0f, 0f);

    /// <summary>
    /// [2 * parameters]: for slot s, 1 / (1 - beta1^t) and 1 / sqrt(1 - beta2^t) with t the parameter's accepted
    /// updates including the current step (see <see cref="BiasCorrectionBetas"/>), on the GPU.
    /// </summary>
    protected GpuBuffer BiasCorrections => Counters().Bias;

    private void Run(bool guarded, Tensor? loss)
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
            _normComputed = guarded || (_options.Clipping.MaxNorm is not null && trainable.Count > 0);
            if (_normComputed)
                _clipScale.Compute(trainable.Select(p => p.Gradient).ToList(), _options.Clipping.MaxNorm ?? float.MaxValue, guarded, loss?.Buffer);
            Span<bool> trained = stackalloc bool[Parameters.Count];
            for (int slot = 0; slot < Parameters.Count; slot++) trained[slot] = Parameters[slot].Trainable;
            var (beta1, beta2) = BiasCorrectionBetas;
            Counters().Advance(trained, StepStatus, beta1, beta2);
            for (int slot = 0; slot < Parameters.Count; slot++)
            {
                Parameter parameter = Parameters[slot];
                if (parameter.Trainable) Update(parameter, StateOf(parameter).Slots, slot, LearningRate * parameter.LearningRateScale);
            }
            foreach (Parameter parameter in Parameters)
                if (!parameter.Trainable) parameter.ZeroGradient();
        }
        _stepCount++;
    }

    /// <summary>
    /// Runs the algorithm's kernel for one parameter. <paramref name="state"/> holds one tensor per
    /// <see cref="StateSlots"/> entry; <paramref name="slot"/> is the parameter's index in
    /// <see cref="Parameters"/> (its entries in <see cref="BiasCorrections"/>); <paramref name="learningRate"/>
    /// already includes the parameter's scale. Start from <see cref="StepKernel"/>.
    /// </summary>
    protected abstract void Update(Parameter parameter, Tensor[] state, int slot, float learningRate);

    /// <summary>
    /// The program <paramref name="shaderName"/> with the uniforms and bindings every
    /// <c>*_step.comp</c> shares (<c>optimizer_common.glsl</c>) already set: count, lr, clipping,
    /// the penalties (zero when the parameter does not decay), 0 = value, 1 = gradient, 2 = step status.
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
            .Bind(2, StepStatus);
    }

    private ParameterStepCounters Counters() => _counters ??= new ParameterStepCounters(Parameters[0].Value.Context, Parameters.Count);

    private GpuBuffer AcceptAll()
    {
        if (_acceptAll is null)
        {
            _acceptAll = new GpuBuffer(Parameters[0].Value.Context, 3);
            _acceptAll.Upload<float>([1f, 0f, 1f]);
        }
        return _acceptAll;
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
        _acceptAll?.Dispose();
        _acceptAll = null;
        _counters?.Dispose();
        _counters = null;
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    public override string ToString() =>
        $"{GetType().Name} lr {LearningRate:G4}, {_options.Regularization}, {_options.Clipping}, {Parameters.Count} parameters";

    /// <summary>One parameter's state tensors (in <see cref="StateSlots"/> order); its update count is on the GPU.</summary>
    private sealed class ParameterState(Tensor[] slots)
    {
        public Tensor[] Slots { get; } = slots;
    }
}
