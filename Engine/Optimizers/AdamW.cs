using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter; PyTorch AdamW): the penalty of
/// <see cref="OptimizerOptions.Regularization"/> is applied to the weights directly,
/// w -= lr * (L2 * w + L1 * sign(w)), and never enters the moments; then the Adam step runs on the
/// clipped gradient (<c>adam_step.comp</c> with DECOUPLED). Without options it uses
/// <see cref="AdamOptions.AdamWDefault"/> (decay 0.01). State as <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamOptions _options;
    private readonly IReadOnlyDictionary<string, string> _defines;
    private readonly string[] _slots;

    public AdamW(IReadOnlyList<Parameter> parameters, AdamOptions? options = null)
        : base(parameters, options ??= AdamOptions.AdamWDefault)
    {
        _options = options;
        _defines = options.Defines(decoupled: true);
        _slots = options.Slots;
    }

    public override IReadOnlyList<string> StateSlots => _slots;

    protected override (float Beta1, float Beta2) BiasCorrectionBetas => (_options.Beta1, _options.Beta2);

    protected override void Update(Parameter parameter, Tensor[] state, int slot, float learningRate) =>
        _options.Dispatch(StepKernel("adam_step.comp", _defines, parameter, learningRate), parameter, state, slot, BiasCorrections);
}
