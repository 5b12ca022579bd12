namespace VisionPlugin.Engine.Optimizers.Schedules;

/// <summary>
/// Step decay (PyTorch StepLR): every <see cref="StepSize"/> epochs the rate is multiplied by
/// <see cref="Gamma"/>:  lr(epoch) = baseLr * gamma^floor(epoch / stepSize).
/// E.g. base 0.1, step 30, gamma 0.1: epochs 0-29 use 0.1, 30-59 use 0.01, 60-89 use 0.001. Immutable.
/// </summary>
public sealed record StepDecaySchedule : IEpochSchedule
{
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite base rate, a step size below 1, or gamma outside (0, 1].</exception>
    public StepDecaySchedule(float baseLearningRate, int stepSize, float gamma = 0.1f)
    {
        OptimizerChecks.NonNegativeFinite(baseLearningRate, nameof(baseLearningRate));
        OptimizerChecks.AtLeast(stepSize, 1, nameof(stepSize));
        if (!(gamma > 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"StepDecaySchedule gamma must be in (0, 1]; got {gamma}.");
        BaseLearningRate = baseLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public float BaseLearningRate { get; }
    /// <summary>Epochs between two decays.</summary>
    public int StepSize { get; }
    /// <summary>Multiplier applied at each decay.</summary>
    public float Gamma { get; }

    public float LearningRateAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return (float)(BaseLearningRate * Math.Pow(Gamma, epoch / StepSize));
    }
}
