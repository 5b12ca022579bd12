namespace VisionPlugin.Engine.Training;

/// <summary>Progress after one optimizer step (or one rejected step).</summary>
public sealed record StepReport(int Epoch, int Step, int StepsPerEpoch, double Loss, bool Rejected, double ImagesPerSecond, TimeSpan EstimatedRemaining);

/// <summary>Figures for one finished epoch. Accuracies are fractions in [0, 1].</summary>
public sealed record EpochReport(
    int Epoch, int Epochs, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
    double ImagesPerSecond, double Seconds, float LearningRate, int RejectedSteps);

/// <summary>Loss, accuracy and the confusion matrix (rows: true class, columns: predicted) of an evaluation pass.</summary>
public sealed record Evaluation(double Loss, double Accuracy, int Count, int[,] Confusion);

/// <summary>The outcome of <see cref="ClassifierTrainer.Fit"/>.</summary>
public sealed record FitResult(IReadOnlyList<EpochReport> History, bool StoppedEarly, int RejectedSteps)
{
    public EpochReport Last => History[^1];
}
