namespace VisionPlugin.Engine.Training;

/// <summary>
/// Progress after one optimizer step (applied or rejected). The loss and rejected count are the epoch's as of the
/// last read-back from the GPU (<see cref="FitOptions.ProgressInterval"/>), which covered steps 1 to
/// <paramref name="FiguresThroughStep"/> (0: nothing read yet this epoch, Loss is NaN).
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="StepsPerEpoch">Steps in an epoch.</param>
/// <param name="Loss">Mean training loss of the epoch's accepted steps through <paramref name="FiguresThroughStep"/>.</param>
/// <param name="RejectedSteps">Steps of this epoch rejected (non-finite loss or gradient) through <paramref name="FiguresThroughStep"/>.</param>
/// <param name="FiguresThroughStep">The last step the loss and rejected count include.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="EstimatedRemaining">Time until the epoch ends at that rate.</param>
public sealed record StepReport(int Epoch, int Step, int StepsPerEpoch, double Loss, int RejectedSteps, int FiguresThroughStep,
    double ImagesPerSecond, TimeSpan EstimatedRemaining);

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
