using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Settings of RMSprop. Defaults (PyTorch): learning rate 0.01, alpha 0.99, epsilon 1e-8, no momentum, not centered.</summary>
public sealed record RmsPropOptions : OptimizerOptions
{
    public RmsPropOptions() => LearningRate = 0.01f;

    /// <summary>Decay of the running average of squared gradients, in [0, 1).</summary>
    public float Alpha { get; init; } = 0.99f;

    /// <summary>Added to the root-mean-square in the denominator (> 0).</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Momentum on the normalized step, in [0, 1); 0 = none.</summary>
    public float Momentum { get; init; }

    /// <summary>Divide by the running standard deviation (E[g^2] - E[g]^2) instead of the RMS.</summary>
    public bool Centered { get; init; }

    public override void Validate()
    {
        base.Validate();
        OptimizerChecks.UnitInterval(Alpha, nameof(Alpha));
        OptimizerChecks.PositiveFinite(Epsilon, nameof(Epsilon));
        OptimizerChecks.UnitInterval(Momentum, nameof(Momentum));
    }
}

/// <summary>
/// RMSprop: E[g^2] = alpha * E[g^2] + (1 - alpha) * g^2; w -= lr * g / (sqrt(E[g^2]) + eps), with
/// optional momentum and centering (<c>rmsprop_step.comp</c> has the full formulas).
/// State: <c>square_avg</c>, then <c>momentum_buffer</c> if Momentum > 0, then <c>grad_avg</c> if Centered.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly RmsPropOptions _options;
    private readonly IReadOnlyDictionary<string, string> _defines;
    private readonly string[] _slots;

    public RmsProp(IReadOnlyList<Parameter> parameters, RmsPropOptions? options = null)
        : base(parameters, options ??= new RmsPropOptions())
    {
        _options = options;
        var defines = new Dictionary<string, string>();
        var slots = new List<string> { "square_avg" };
        if (options.Momentum > 0)
        {
            defines["MOMENTUM"] = "1";
            slots.Add("momentum_buffer");
        }
        if (options.Centered)
        {
            defines["CENTERED"] = "1";
            slots.Add("grad_avg");
        }
        _defines = defines;
        _slots = slots.ToArray();
    }

    public override IReadOnlyList<string> StateSlots => _slots;

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate)
    {
        ComputeProgram program = StepKernel("rmsprop_step.comp", _defines, parameter, learningRate)
            .Set("alpha", _options.Alpha).Set("eps", _options.Epsilon).Set("momentum", _options.Momentum)
            .Bind(3, state[0]);
        int next = 1;
        if (_options.Momentum > 0) program.Bind(4, state[next++]);
        if (_options.Centered) program.Bind(5, state[next]);
        program.DispatchLinear(parameter.Value.ElementCount);
    }
}
