namespace VisionPlugin.Engine.Losses;

/// <summary>
/// A loss that is a sum of per-element terms l(x_i, t_i) of an input x and a target t of the same
/// shape (<c>elementwise_loss_*.comp</c>): L = r * sum_i l(x_i, t_i) with r = 1/count (Mean),
/// 1/N for the batch axis N (BatchMean) or 1 (Sum); dL/dx_i = r * l'(x_i, t_i).
/// The loss is computed on the GPU; <c>Forward(x, t, Tensor loss)</c> leaves it there in a
/// one-element tensor, <c>Forward(x, t)</c> reads that one value back.
/// </summary>
public abstract class ElementwiseLoss
{
    private protected ElementwiseLoss(LossReduction reduction) => Reduction = reduction;

    public LossReduction Reduction { get; }

    /// <summary>Short name used in messages.</summary>
    public abstract string Name { get; }

    /// <summary>Selects the formula in the shaders.</summary>
    private protected abstract int Kind { get; }

    /// <summary>The loss, read back from the GPU (one float).</summary>
    public float Forward(Tensor input, Tensor target)
    {
        GpuBuffer value = input.Context.Scratch("loss.value", 1);
        Run(input, target, value);
        return ScalarReduction.Read(value);
    }

    /// <summary>Writes the loss into <paramref name="loss"/> (one element) on the GPU; nothing is read back.</summary>
    public void Forward(Tensor input, Tensor target, Tensor loss) => Run(input, target, SoftmaxCrossEntropyLoss.LossTensor(loss));

    /// <summary>gradInput (+)= scale * dL/dinput.</summary>
    /// <param name="scale">Upstream factor (e.g. a loss weight).</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    public void Backward(Tensor input, Tensor target, Tensor gradInput, float scale = 1f, bool accumulate = false)
    {
        Validate(input, target);
        if (gradInput.Shape != input.Shape)
            throw new ArgumentException($"{Name} gradInput must match input {input.Shape}; got {gradInput.Shape}.", nameof(gradInput));
        int count = input.ElementCount;
        input.Context.Programs.Get("elementwise_loss_backward.comp")
            .Set("count", count).Set("kind", Kind).Set("scale", scale * ReductionFactor(input.Shape)).Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, target).Bind(2, gradInput)
            .DispatchLinear(count);
    }

    private void Run(Tensor input, Tensor target, GpuBuffer result)
    {
        Validate(input, target);
        GpuContext context = input.Context;
        int count = input.ElementCount;
        GpuBuffer terms = context.Scratch("loss.terms", count);
        context.Programs.Get("elementwise_loss_forward.comp")
            .Set("count", count).Set("kind", Kind).Set("scale", ReductionFactor(input.Shape))
            .Bind(0, input).Bind(1, target).Bind(2, terms)
            .DispatchLinear(count);
        ScalarReduction.Sum(context, terms, count, result);
    }

    private float ReductionFactor(TensorShape shape) => Reduction switch
    {
        LossReduction.Sum => 1f,
        LossReduction.BatchMean => 1f / shape[0],
        _ => 1f / shape.ElementCount,
    };

    private void Validate(Tensor input, Tensor target)
    {
        if (input.Shape.Rank < 1 || input.ElementCount == 0)
            throw new ArgumentException($"{Name} expects a non-empty input; got {input.Shape}.", nameof(input));
        if (target.Shape != input.Shape)
            throw new ArgumentException($"{Name} target must match input {input.Shape}; got {target.Shape}.", nameof(target));
    }
}
