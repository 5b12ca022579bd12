namespace VisionPlugin.FineTuning;

/// <summary>What a fine-tuning session is doing.</summary>
public enum FineTunePhase
{
    /// <summary>Waiting for samples or for <see cref="FineTuneSession.Step"/>.</summary>
    Idle,
    /// <summary>Running the frozen part of the network once per sample (and augmented copy) to cache its output.</summary>
    Caching,
    /// <summary>Optimizer steps.</summary>
    Training,
    /// <summary>All epochs done.</summary>
    Finished,
}

/// <summary>A progress report, raised after every unit of work and returned by <see cref="FineTuneSession.Step"/>.</summary>
/// <param name="Phase">What the session is doing.</param>
/// <param name="Epoch">Current epoch (1-based; 0 before training starts).</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Step">Optimizer step within the epoch.</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch.</param>
/// <param name="Loss">Mean training loss of the current epoch so far, as last read back from the GPU (about once a second and
/// at the end of the epoch; training steps themselves read nothing back); NaN before the first read of an epoch.</param>
/// <param name="TrainAccuracy">Training accuracy of the current epoch so far (fraction), read with <paramref name="Loss"/>.</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out samples after the last finished epoch, if any.</param>
/// <param name="ImagesPerSecond">Samples processed per second in the current phase.</param>
/// <param name="EstimatedRemaining">Time until training finishes at the current rate.</param>
/// <param name="CachedSamples">Samples (and copies) whose frozen-front output is cached.</param>
/// <param name="SamplesToCache">Samples (and copies) that need caching.</param>
public sealed record FineTuneProgress(
    FineTunePhase Phase, int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double TrainAccuracy,
    double? ValidationAccuracy, double ImagesPerSecond, TimeSpan EstimatedRemaining, int CachedSamples, int SamplesToCache);

/// <summary>Figures of one finished epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="TrainAccuracy">Training accuracy (fraction).</param>
/// <param name="ValidationLoss">Held-out loss, when there is a validation split.</param>
/// <param name="ValidationAccuracy">Held-out accuracy (fraction), when there is a validation split.</param>
/// <param name="Seconds">Wall time of the epoch's training steps.</param>
/// <param name="RejectedSteps">Optimizer steps rejected because their loss or gradient was NaN/Inf (weights left unchanged).</param>
public sealed record FineTuneEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double Seconds,
    int RejectedSteps = 0);

/// <summary>One fold of <see cref="FineTuneSession.CrossValidate"/>.</summary>
/// <param name="Fold">0-based fold index.</param>
/// <param name="ValidationAccuracy">Accuracy on the fold's samples after the last epoch (fraction).</param>
/// <param name="TrainAccuracy">Training accuracy of the last epoch (fraction).</param>
/// <param name="ValidationCount">Samples in the fold.</param>
/// <param name="Seconds">Training time of the fold.</param>
public sealed record FoldResult(int Fold, double ValidationAccuracy, double TrainAccuracy, int ValidationCount, double Seconds);
