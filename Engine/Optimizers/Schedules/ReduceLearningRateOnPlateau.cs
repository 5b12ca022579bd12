namespace VisionPlugin.Engine.Optimizers.Schedules;

/// <summary>Whether the monitored metric should go down (a loss) or up (an accuracy).</summary>
public enum PlateauMode
{
    Min,
    Max,
}

/// <summary>How <see cref="ReduceOnPlateauOptions.Threshold"/> decides that a metric improved.</summary>
public enum PlateauThreshold
{
    /// <summary>Min: metric &lt; best * (1 - threshold); Max: metric > best * (1 + threshold).</summary>
    Relative,
    /// <summary>Min: metric &lt; best - threshold; Max: metric > best + threshold.</summary>
    Absolute,
}

/// <summary>Settings of <see cref="ReduceLearningRateOnPlateau"/>; defaults are PyTorch's ReduceLROnPlateau. Immutable.</summary>
public sealed record ReduceOnPlateauOptions
{
    public PlateauMode Mode { get; init; } = PlateauMode.Min;
    /// <summary>Multiplier applied on a plateau, in (0, 1).</summary>
    public float Factor { get; init; } = 0.1f;
    /// <summary>Epochs without improvement that are tolerated; the next one reduces the rate (>= 0).</summary>
    public int Patience { get; init; } = 10;
    /// <summary>Smallest change that counts as an improvement (>= 0), read as <see cref="ThresholdMode"/> says.</summary>
    public double Threshold { get; init; } = 1e-4;
    public PlateauThreshold ThresholdMode { get; init; } = PlateauThreshold.Relative;
    /// <summary>Epochs after a reduction during which bad epochs are not counted (>= 0).</summary>
    public int Cooldown { get; init; }
    /// <summary>The rate never goes below this (>= 0).</summary>
    public float MinLearningRate { get; init; }
    /// <summary>Reductions smaller than this are skipped (>= 0).</summary>
    public float MinChange { get; init; } = 1e-8f;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, $"Unknown plateau mode {Mode}.");
        if (!Enum.IsDefined(ThresholdMode)) throw new ArgumentOutOfRangeException(nameof(ThresholdMode), ThresholdMode, $"Unknown threshold mode {ThresholdMode}.");
        OptimizerChecks.OpenUnitInterval(Factor, nameof(Factor));
        OptimizerChecks.AtLeast(Patience, 0, nameof(Patience));
        OptimizerChecks.NonNegativeFinite(Threshold, nameof(Threshold));
        OptimizerChecks.AtLeast(Cooldown, 0, nameof(Cooldown));
        OptimizerChecks.NonNegativeFinite(MinLearningRate, nameof(MinLearningRate));
        OptimizerChecks.NonNegativeFinite(MinChange, nameof(MinChange));
    }
}

/// <summary>
/// Lowers the learning rate when a monitored metric stops improving (PyTorch ReduceLROnPlateau).
/// After each epoch call <see cref="Report"/> with the metric and use the rate it returns:
/// <list type="bullet">
/// <item>an improvement over the best value so far (beyond the threshold) resets the bad-epoch count;
///   otherwise the count grows (a NaN metric is never an improvement);</item>
/// <item>while cooling down after a reduction, bad epochs are not counted;</item>
/// <item>when the count exceeds <see cref="ReduceOnPlateauOptions.Patience"/> the rate becomes
///   max(rate * factor, minLr), the count restarts and the cooldown begins.</item>
/// </list>
/// Stateful; not thread-safe.
/// </summary>
public sealed class ReduceLearningRateOnPlateau
{
    private int _cooldownLeft;

    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite initial rate, or a bad option (named).</exception>
    public ReduceLearningRateOnPlateau(float initialLearningRate, ReduceOnPlateauOptions? options = null)
    {
        OptimizerChecks.NonNegativeFinite(initialLearningRate, nameof(initialLearningRate));
        Options = options ?? new ReduceOnPlateauOptions();
        Options.Validate();
        LearningRate = initialLearningRate;
        Best = Options.Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    public ReduceOnPlateauOptions Options { get; }
    /// <summary>The rate to use now.</summary>
    public float LearningRate { get; private set; }
    /// <summary>Best metric reported so far (±infinity before the first report).</summary>
    public double Best { get; private set; }
    /// <summary>Consecutive epochs without improvement, as counted now.</summary>
    public int BadEpochs { get; private set; }
    /// <summary>How many times the rate was lowered.</summary>
    public int Reductions { get; private set; }

    /// <summary>Records the metric of the epoch just finished and returns the learning rate for the next one.</summary>
    public float Report(double metric)
    {
        if (IsImprovement(metric))
        {
            Best = metric;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            BadEpochs = 0;
        }
        if (BadEpochs > Options.Patience)
        {
            float reduced = Math.Max(LearningRate * Options.Factor, Options.MinLearningRate);
            if (LearningRate - reduced > Options.MinChange)
            {
                LearningRate = reduced;
                Reductions++;
            }
            _cooldownLeft = Options.Cooldown;
            BadEpochs = 0;
        }
        return LearningRate;
    }

    private bool IsImprovement(double metric)
    {
        if (double.IsNaN(metric)) return false;
        bool relative = Options.ThresholdMode == PlateauThreshold.Relative;
        return Options.Mode == PlateauMode.Min
            ? metric < (relative ? Best * (1 - Options.Threshold) : Best - Options.Threshold)
            : metric > (relative ? Best * (1 + Options.Threshold) : Best + Options.Threshold);
    }
}
