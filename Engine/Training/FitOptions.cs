namespace VisionPlugin.Engine.Training;

/// <summary>How <see cref="ClassifierTrainer.Fit"/> runs. Immutable.</summary>
public sealed record FitOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    /// <summary>Seeds the per-epoch shuffles (and the validation split when one is taken).</summary>
    public int Seed { get; init; }
    public bool Shuffle { get; init; } = true;
    /// <summary>Fraction of the training set held out for validation when no validation set is given (0 = none).</summary>
    public double ValidationSplit { get; init; }
    /// <summary>Batch size for evaluation passes (no gradients, so it can be larger).</summary>
    public int EvaluationBatchSize { get; init; } = 256;
    /// <summary>
    /// How often the epoch's running loss, accuracy and rejected steps are read back from the GPU for
    /// <see cref="ClassifierTrainer.StepCompleted"/> (a read waits for the GPU; steps themselves read nothing).
    /// They are always read at the end of an epoch. <see cref="TimeSpan.Zero"/>: after every step.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(0.5);

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Epochs must be at least 1; got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be at least 1; got {BatchSize}.");
        if (EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, $"EvaluationBatchSize must be at least 1; got {EvaluationBatchSize}.");
        if (ProgressInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, $"ProgressInterval must be >= 0; got {ProgressInterval}.");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, $"ValidationSplit must be in [0, 1); got {ValidationSplit}.");
    }
}
