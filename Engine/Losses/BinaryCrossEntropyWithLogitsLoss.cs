namespace VisionPlugin.Engine.Losses;

/// <summary>
/// Binary cross-entropy on logits x with targets t in [0, 1] (multi-label heads), in the stable form
///   l = -[t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))] = max(x, 0) - x t + log(1 + exp(-|x|)),
///   dl/dx = sigmoid(x) - t.
/// Reduction as in <see cref="ElementwiseLoss"/> (Mean: over all elements, like PyTorch's BCEWithLogitsLoss).
/// </summary>
public sealed class BinaryCrossEntropyWithLogitsLoss(LossReduction reduction = LossReduction.Mean) : ElementwiseLoss(reduction)
{
    public override string Name => "BinaryCrossEntropyWithLogits";
    private protected override int Kind => 0;
}
