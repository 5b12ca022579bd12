using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Settings of Adam and AdamW. Defaults (PyTorch): learning rate 1e-3, betas (0.9, 0.999),
/// epsilon 1e-8, no AMSGrad. For AdamW start from <see cref="AdamWDefault"/> (weight decay 0.01).
/// </summary>
public sealed record AdamOptions : OptimizerOptions
{
    public AdamOptions() => LearningRate = 1e-3f;

    /// <summary>AdamW's usual start: these defaults with decoupled weight decay 0.01 (PyTorch's AdamW default).</summary>
    public static AdamOptions AdamWDefault => new() { Regularization = Regularization.L2Penalty(0.01f) };

    /// <summary>Decay of the first moment (mean of gradients), in [0, 1).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Decay of the second moment (mean of squared gradients), in [0, 1).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Added to the bias-corrected RMS in the denominator (> 0).</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Use the running maximum of the second moment (AMSGrad).</summary>
    public bool AmsGrad { get; init; }

    public override void Validate()
    {
        base.Validate();
        OptimizerChecks.UnitInterval(Beta1, nameof(Beta1));
        OptimizerChecks.UnitInterval(Beta2, nameof(Beta2));
        OptimizerChecks.PositiveFinite(Epsilon, nameof(Epsilon));
    }

    /// <summary>The defines of <c>adam_step.comp</c> for these options.</summary>
    internal IReadOnlyDictionary<string, string> Defines(bool decoupled)
    {
        var defines = new Dictionary<string, string>();
        if (AmsGrad) defines["AMSGRAD"] = "1";
        if (decoupled) defines["DECOUPLED"] = "1";
        return defines;
    }

    /// <summary>State slot names: exp_avg, exp_avg_sq, and max_exp_avg_sq with AMSGrad.</summary>
    internal string[] Slots => AmsGrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];

    /// <summary>
    /// Sets the Adam uniforms and state bindings for the parameter in <paramref name="slot"/> and dispatches. The bias
    /// corrections 1 / (1 - beta1^t) and 1 / sqrt(1 - beta2^t) come from <paramref name="biasCorrections"/>, where the
    /// optimizer left them for the parameter's own update count t (on the GPU, computed in double).
    /// </summary>
    internal void Dispatch(ComputeProgram program, Parameter parameter, Tensor[] state, int slot, GpuBuffer biasCorrections)
    {
        program.Set("beta1", Beta1).Set("beta2", Beta2).Set("eps", Epsilon).Set("slot", slot)
            .Bind(3, state[0]).Bind(4, state[1]).Bind(6, biasCorrections);
        if (AmsGrad) program.Bind(5, state[2]);
        program.DispatchLinear(parameter.Value.ElementCount);
    }
}

/// <summary>
/// Adam with bias correction (<c>adam_step.comp</c>): m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
/// w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). The penalty is added to the gradient
/// (classic L2; see <see cref="AdamW"/> for decoupled decay). t counts each parameter's own updates.
/// State: <c>exp_avg</c> (m), <c>exp_avg_sq</c> (v), and <c>max_exp_avg_sq</c> with AMSGrad.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly AdamOptions _options;
    private readonly IReadOnlyDictionary<string, string> _defines;
    private readonly string[] _slots;

    public Adam(IReadOnlyList<Parameter> parameters, AdamOptions? options = null)
        : base(parameters, options ??= new AdamOptions())
    {
        _options = options;
        _defines = options.Defines(decoupled: false);
        _slots = options.Slots;
    }

    public override IReadOnlyList<string> StateSlots => _slots;

    protected override (float Beta1, float Beta2) BiasCorrectionBetas => (_options.Beta1, _options.Beta2);

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        _options.Dispatch(StepKernel("adam_step.comp", _defines, parameter, learningRate), parameter, state, slot, BiasCorrections);
}
