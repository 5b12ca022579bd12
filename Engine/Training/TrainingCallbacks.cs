using VisionPlugin.Engine.Optimizers.Schedules;

namespace VisionPlugin.Engine.Training;

/// <summary>Hooks called by <see cref="ClassifierTrainer.Fit"/> after each epoch.</summary>
public interface ITrainingCallback
{
    /// <summary>Called after epoch <paramref name="report"/>.Epoch; return false to stop training.</summary>
    bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report);
}

/// <summary>
/// Stops when the monitored validation figure has not improved by <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs (validation loss, lower is better; or validation accuracy).
/// Without a validation set it watches the training loss.
/// </summary>
public sealed class EarlyStopping(int patience, double minDelta = 0, bool monitorAccuracy = false) : ITrainingCallback
{
    private double _best = double.NaN;
    private int _badEpochs;

    public int Patience { get; } = patience >= 1 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be at least 1.");
    public double MinDelta { get; } = minDelta;
    /// <summary>The epoch with the best monitored figure so far.</summary>
    public int BestEpoch { get; private set; }

    public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
    {
        double value = monitorAccuracy
            ? -(report.ValidationAccuracy ?? report.TrainAccuracy)
            : report.ValidationLoss ?? report.TrainLoss;
        if (double.IsNaN(_best) || value < _best - MinDelta)
        {
            _best = value;
            BestEpoch = report.Epoch;
            _badEpochs = 0;
            return true;
        }
        return ++_badEpochs < Patience;
    }
}

/// <summary>Saves a resumable checkpoint (weights, statistics, optimizer state, epoch) after every epoch.</summary>
public sealed class CheckpointEveryEpoch(string path) : ITrainingCallback
{
    public string Path { get; } = path;

    public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
    {
        trainer.SaveCheckpoint(Path, report.Epoch);
        return true;
    }
}

/// <summary>Sets the learning rate for the next epoch from an epoch schedule (step decay, cosine, ...).</summary>
public sealed class EpochScheduleCallback(IEpochSchedule schedule) : ITrainingCallback
{
    public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
    {
        trainer.Optimizer.LearningRate = schedule.LearningRateAt(report.Epoch);
        return true;
    }
}

/// <summary>Lowers the learning rate when the validation loss (or training loss) plateaus.</summary>
public sealed class PlateauCallback(ReduceLearningRateOnPlateau plateau) : ITrainingCallback
{
    public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
    {
        trainer.Optimizer.LearningRate = plateau.Report(report.ValidationLoss ?? report.TrainLoss);
        return true;
    }
}
