namespace VisionPlugin.Engine.Optimizers.Schedules;

/// <summary>
/// A learning rate that depends only on the epoch number (0-based): set
/// <c>optimizer.LearningRate = schedule.LearningRateAt(epoch)</c> before each epoch.
/// Schedules that react to a metric (<see cref="ReduceLearningRateOnPlateau"/>) are stateful instead.
/// </summary>
public interface IEpochSchedule
{
    /// <summary>The learning rate to use throughout epoch <paramref name="epoch"/> (>= 0).</summary>
    float LearningRateAt(int epoch);
}
