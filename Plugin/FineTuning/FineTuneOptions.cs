namespace VisionPlugin.FineTuning;

/// <summary>Which part of the network a fine-tuning session trains.</summary>
public enum FineTuneMode
{
    /// <summary>Only a new linear head, on embeddings computed once per sample (Teachable-Machine style; the fastest).</summary>
    Head,
    /// <summary>The head and the last <see cref="FineTuneOptions.TrainableBlocks"/> backbone blocks; the front is frozen and its activations are cached.</summary>
    LastBlocks,
    /// <summary>The whole network.</summary>
    Full,
}

/// <summary>How a <see cref="FineTuneSession"/> trains. Immutable.</summary>
public sealed record FineTuneOptions
{
    /// <summary>Pretrained backbone (a <c>PretrainedZoo</c> name).</summary>
    public string Backbone { get; init; } = "mobilenet_v2";
    /// <summary>What is trained.</summary>
    public FineTuneMode Mode { get; init; } = FineTuneMode.Head;
    /// <summary>Backbone blocks trained in <see cref="FineTuneMode.LastBlocks"/> (the final 1x1 conv counts as one).</summary>
    public int TrainableBlocks { get; init; } = 2;
    /// <summary>Optimizer name: sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning rate of the head (null: 1e-3 for Adam-style optimizers, 1e-2 for SGD-style).</summary>
    public float? LearningRate { get; init; }
    /// <summary>Backbone layers train at this fraction of the head's learning rate (parameter groups).</summary>
    public float BackboneLearningRateScale { get; init; } = 0.1f;
    /// <summary>L2 penalty on weights (not biases or BatchNorm).</summary>
    public float WeightDecay { get; init; } = 1e-4f;
    /// <summary>Cosine-anneal the learning rate over the epochs.</summary>
    public bool CosineSchedule { get; init; } = true;
    /// <summary>Passes over the training samples.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Samples per optimizer step.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Seeds the split, the head's initial weights, shuffles and augmentation.</summary>
    public int Seed { get; init; }
    /// <summary>Fraction of every class held out for validation (stratified).</summary>
    public double ValidationSplit { get; init; } = 0.2;
    /// <summary>
    /// Augmented variants of every training sample added to the training set (0 = none). Each variant is a
    /// GPU augmentation (random resized crop, mirror, rotation, colour jitter) of the sample, seeded, whose
    /// frozen-front output is cached like the original's; the validation samples are never augmented.
    /// </summary>
    public int AugmentedCopies { get; init; }

    /// <summary>
    /// Folder where captured samples (PNG, written as they arrive), checkpoints and the session description are
    /// kept, so a killed session can resume; null keeps everything in memory.
    /// </summary>
    public string? SessionFolder { get; init; }

    /// <summary>
    /// With a <see cref="SessionFolder"/>: write a checkpoint after every epoch (default). A live host that saves on request
    /// turns this off, because writing the network's weights on the GL thread stalls its preview for that frame.
    /// </summary>
    public bool CheckpointEveryEpoch { get; init; } = true;

    /// <summary>
    /// How often the current epoch's loss and accuracy are read back from the GPU for <see cref="FineTuneProgress"/>
    /// (a read waits for the GPU; optimizer steps themselves read nothing back). Always read at the end of an epoch.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (TrainableBlocks < 1) throw new ArgumentOutOfRangeException(nameof(TrainableBlocks), TrainableBlocks, "TrainableBlocks must be at least 1.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "ValidationSplit must be in [0, 1).");
        if (LearningRate is float lr && !(lr > 0 && float.IsFinite(lr))) throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "LearningRate must be positive and finite.");
        if (!(BackboneLearningRateScale >= 0)) throw new ArgumentOutOfRangeException(nameof(BackboneLearningRateScale), BackboneLearningRateScale, "BackboneLearningRateScale must be >= 0.");
        if (AugmentedCopies < 0) throw new ArgumentOutOfRangeException(nameof(AugmentedCopies), AugmentedCopies, "AugmentedCopies must be >= 0.");
        if (ProgressInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "ProgressInterval must be >= 0.");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be >= 0.");
    }
}
