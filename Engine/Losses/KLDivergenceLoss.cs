namespace VisionPlugin.Engine.Losses;

/// <summary>
/// Kullback-Leibler divergence as PyTorch's KLDivLoss: the input holds log-probabilities log q (e.g.
/// a log-softmax output), the target probabilities p; l = p (log p - log q) with 0 log 0 = 0, so
/// elements where p = 0 contribute nothing; dl/d(log q) = -p. Mean averages over all elements as
/// PyTorch's 'mean' does; <see cref="LossReduction.BatchMean"/> gives the true KL divergence per
/// sample (PyTorch's 'batchmean'). See <see cref="ElementwiseLoss"/>.
/// </summary>
public sealed class KLDivergenceLoss(LossReduction reduction = LossReduction.Mean) : ElementwiseLoss(reduction)
{
    public override string Name => "KLDivergence";
    private protected override int Kind => 2;
}
