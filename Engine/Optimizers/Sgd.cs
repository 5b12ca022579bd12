using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Settings of plain (mini-batch) SGD. Defaults: learning rate 0.01.</summary>
public sealed record SgdOptions : OptimizerOptions
{
    public SgdOptions() => LearningRate = 0.01f;
}

/// <summary>
/// Plain stochastic / mini-batch gradient descent: w -= lr * g, where g is the gradient the
/// backward pass accumulated (summed or averaged over the mini-batch by the loss) plus the penalty
/// (<c>sgd_step.comp</c>). Stateless.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(IReadOnlyList<Parameter> parameters, SgdOptions? options = null)
        : base(parameters, options ?? new SgdOptions()) { }

    public override IReadOnlyList<string> StateSlots => [];

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        StepKernel("sgd_step.comp", null, parameter, learningRate).DispatchLinear(parameter.Value.ElementCount);
}
