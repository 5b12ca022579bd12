namespace VisionPlugin.Engine.Optimizers.Schedules;

/// <summary>
/// Cosine annealing from the base rate down to a minimum over <see cref="Epochs"/> epochs
/// (the closed form of PyTorch's CosineAnnealingLR, T_max = Epochs, eta_min = MinLearningRate):
///   lr(e) = min + (base - min) * (1 + cos(pi * e / T)) / 2     for 0 &lt;= e &lt;= T,
///   lr(e) = min                                                for e > T (held there; PyTorch would rise again).
/// Immutable.
/// </summary>
public sealed record CosineAnnealingSchedule : IEpochSchedule
{
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite rate, epochs below 1, or a minimum above the base rate.</exception>
    public CosineAnnealingSchedule(float baseLearningRate, int epochs, float minLearningRate = 0f)
    {
        OptimizerChecks.NonNegativeFinite(baseLearningRate, nameof(baseLearningRate));
        OptimizerChecks.AtLeast(epochs, 1, nameof(epochs));
        OptimizerChecks.NonNegativeFinite(minLearningRate, nameof(minLearningRate));
        if (minLearningRate > baseLearningRate)
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate,
                $"CosineAnnealingSchedule minLearningRate {minLearningRate} exceeds baseLearningRate {baseLearningRate}.");
        BaseLearningRate = baseLearningRate;
        Epochs = epochs;
        MinLearningRate = minLearningRate;
    }

    public float BaseLearningRate { get; }
    /// <summary>T: the epoch at which the minimum is reached.</summary>
    public int Epochs { get; }
    public float MinLearningRate { get; }

    public float LearningRateAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (epoch >= Epochs) return MinLearningRate;
        double cosine = (1 + Math.Cos(Math.PI * epoch / Epochs)) / 2;
        return (float)(MinLearningRate + ((double)BaseLearningRate - MinLearningRate) * cosine);
    }
}
