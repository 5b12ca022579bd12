using Spectre.Console;
using VisionPlugin.Engine.Training;

namespace VisionPlugin.Host;

/// <summary>
/// A Spectre.Console progress bar over a trainer's steps (epoch, step, loss, images/s, ETA).
/// When stdout is not a terminal the bar is replaced by nothing (the per-epoch lines remain).
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(ClassifierTrainer trainer, Func<T> fit)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return fit();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                void OnStep(StepReport s)
                {
                    if (task is null || s.Step == 1)
                    {
                        task?.StopTask();
                        task = progress.AddTask($"epoch {s.Epoch}", maxValue: s.StepsPerEpoch);
                    }
                    task.Value = s.Step;
                    // The loss is read back from the GPU every FitOptions.ProgressInterval, never inside a step: NaN until then.
                    task.Description = double.IsNaN(s.Loss)
                        ? $"epoch {s.Epoch} {s.ImagesPerSecond:N0} img/s"
                        : $"epoch {s.Epoch} loss {s.Loss:F3} {s.ImagesPerSecond:N0} img/s";
                }
                trainer.StepCompleted += OnStep;
                try { result = fit(); }
                finally { trainer.StepCompleted -= OnStep; }
            });
        return result;
    }
}
