using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Settings of SGD with (heavy-ball or Nesterov) momentum. Defaults: learning rate 0.01, momentum 0.9.</summary>
public sealed record MomentumOptions : OptimizerOptions
{
    public MomentumOptions() => LearningRate = 0.01f;

    /// <summary>mu in [0, 1): the fraction of the velocity kept each step ("friction" 1 - mu).</summary>
    public float Momentum { get; init; } = 0.9f;

    public override void Validate()
    {
        base.Validate();
        OptimizerChecks.UnitInterval(Momentum, nameof(Momentum));
    }
}

/// <summary>
/// SGD with momentum, PyTorch form (dampening 0): v = mu * v + g; w -= lr * v (<c>sgd_step.comp</c>).
/// The course notes' form v = gamma * v + lr * g; w -= v is the same update when lr is constant.
/// State: <c>momentum_buffer</c> (v).
/// </summary>
public sealed class MomentumSgd : Optimizer
{
    private static readonly IReadOnlyDictionary<string, string> Defines = new Dictionary<string, string> { ["MOMENTUM"] = "1" };
    private readonly MomentumOptions _options;

    public MomentumSgd(IReadOnlyList<Parameter> parameters, MomentumOptions? options = null)
        : base(parameters, options ??= new MomentumOptions()) => _options = options;

    public override IReadOnlyList<string> StateSlots => ["momentum_buffer"];

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        StepKernel("sgd_step.comp", Defines, parameter, learningRate)
            .Set("momentum", _options.Momentum)
            .Bind(3, state[0])
            .DispatchLinear(parameter.Value.ElementCount);
}
