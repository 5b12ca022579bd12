using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// SGD with Nesterov accelerated gradient, PyTorch form: v = mu * v + g; w -= lr * (g + mu * v)
/// (<c>sgd_step.comp</c>). This is the course notes' look-ahead update v = gamma * v + lr * grad(w - gamma * v)
/// rewritten in terms of the gradient at the current weights. State: <c>momentum_buffer</c> (v).
/// </summary>
public sealed class NesterovSgd : Optimizer
{
    private static readonly IReadOnlyDictionary<string, string> Defines = new Dictionary<string, string> { ["NESTEROV"] = "1" };
    private readonly MomentumOptions _options;

    public NesterovSgd(IReadOnlyList<Parameter> parameters, MomentumOptions? options = null)
        : base(parameters, options ??= new MomentumOptions()) => _options = options;

    public override IReadOnlyList<string> StateSlots => ["momentum_buffer"];

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        StepKernel("sgd_step.comp", Defines, parameter, learningRate)
            .Set("momentum", _options.Momentum)
            .Bind(3, state[0])
            .DispatchLinear(parameter.Value.ElementCount);
}
