using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Settings of Adagrad. Defaults (PyTorch): learning rate 0.01, epsilon 1e-10.</summary>
public sealed record AdagradOptions : OptimizerOptions
{
    public AdagradOptions() => LearningRate = 0.01f;

    /// <summary>Added to sqrt(G) in the denominator (> 0).</summary>
    public float Epsilon { get; init; } = 1e-10f;

    public override void Validate()
    {
        base.Validate();
        OptimizerChecks.PositiveFinite(Epsilon, nameof(Epsilon));
    }
}

/// <summary>
/// Adagrad: per-element learning rates that shrink with the accumulated squared gradient,
/// G += g^2; w -= lr * g / (sqrt(G) + eps) (<c>adagrad_step.comp</c>). State: <c>sum</c> (G).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private readonly AdagradOptions _options;

    public Adagrad(IReadOnlyList<Parameter> parameters, AdagradOptions? options = null)
        : base(parameters, options ??= new AdagradOptions()) => _options = options;

    public override IReadOnlyList<string> StateSlots => ["sum"];

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        StepKernel("adagrad_step.comp", null, parameter, learningRate)
            .Set("eps", _options.Epsilon)
            .Bind(3, state[0])
            .DispatchLinear(parameter.Value.ElementCount);
}
