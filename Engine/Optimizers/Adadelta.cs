using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Settings of Adadelta. Defaults (PyTorch): learning rate 1 (a multiplier on the step), rho 0.9, epsilon 1e-6.</summary>
public sealed record AdadeltaOptions : OptimizerOptions
{
    public AdadeltaOptions() => LearningRate = 1f;

    /// <summary>Decay of both running averages, in [0, 1).</summary>
    public float Rho { get; init; } = 0.9f;

    /// <summary>Added inside both square roots (> 0); it also sets the size of the first steps.</summary>
    public float Epsilon { get; init; } = 1e-6f;

    public override void Validate()
    {
        base.Validate();
        OptimizerChecks.UnitInterval(Rho, nameof(Rho));
        OptimizerChecks.PositiveFinite(Epsilon, nameof(Epsilon));
    }
}

/// <summary>
/// Adadelta: the step is the gradient scaled by RMS(previous steps) / RMS(gradients),
/// dx = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g; w -= lr * dx (<c>adadelta_step.comp</c>).
/// State: <c>square_avg</c> (E[g^2]), <c>acc_delta</c> (E[dx^2]).
/// </summary>
public sealed class Adadelta : Optimizer
{
    private readonly AdadeltaOptions _options;

    public Adadelta(IReadOnlyList<Parameter> parameters, AdadeltaOptions? options = null)
        : base(parameters, options ??= new AdadeltaOptions()) => _options = options;

    public override IReadOnlyList<string> StateSlots => ["square_avg", "acc_delta"];

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        StepKernel("adadelta_step.comp", null, parameter, learningRate)
            .Set("rho", _options.Rho).Set("eps", _options.Epsilon)
            .Bind(3, state[0]).Bind(4, state[1])
            .DispatchLinear(parameter.Value.ElementCount);
}
