using VisionPlugin.FineTuning;
using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Live;

/// <summary>Builds the overlay's <see cref="HudState"/> from the live session, the script, the keyboard and the source.</summary>
internal static class HudBuilder
{
    public static HudState Build(LiveSession session, ScriptedSession? script, KeyboardController? keyboard, bool showHelp,
        string sourceName, string? sourceStatus, double fps)
    {
        string? message = keyboard?.Prompt ?? session.Message;
        if (message is null && session.CanFineTune && session.Classes.Count == 0 && script is null)
            message = "Show an object and hold 1 to capture it as class 1, another with 2, ... then press T to train.  H: help";
        return new HudState
        {
            Predictions = session.ShowsPredictions && session.Predictions is { } top
                ? [.. top.Select(p => new HudPrediction(p.Label, p.Probability))]
                : [],
            FramesPerSecond = fps,
            InferenceMilliseconds = session.ShowsPredictions && session.PredictionCount > 0 ? session.InferenceLatency.TotalMilliseconds : null,
            ModelName = session.ModelName,
            SourceName = sourceName,
            SourceStatus = sourceStatus,
            Training = Training(session),
            Classes = [.. session.Classes.Select(c => new HudClass(c.Key, c.Name, c.SampleCount))],
            AccuracyLine = script?.Status,
            HelpLines = KeyboardController.HelpLines,
            ShowHelp = showHelp,
            Message = message,
        };
    }

    private static HudTraining? Training(LiveSession session)
    {
        if (session.TrainingProgress is not { } p || !session.CanFineTune) return null;
        if (session.IsTraining)
            return p.Phase switch
            {
                FineTunePhase.Caching => new HudTraining($"Preparing samples {p.CachedSamples}/{p.SamplesToCache} (backbone features)",
                    p.SamplesToCache == 0 ? 0 : p.CachedSamples / (double)p.SamplesToCache),
                FineTunePhase.Training => new HudTraining($"Training epoch {p.Epoch}/{p.Epochs} · {LossAndAccuracy(p, session.TrainingHistory)}" +
                    (p.ValidationAccuracy is { } v ? $" · held-out {v:P0}" : ""),
                    p.Epochs == 0 ? 0 : (p.Epoch - 1 + p.Step / (double)Math.Max(1, p.StepsPerEpoch)) / p.Epochs),
                _ => new HudTraining("Training ..."),
            };
        if (session.TrainingHistory.Count > 0)
        {
            FineTuneEpoch last = session.TrainingHistory[^1];
            return new HudTraining($"Trained {last.Epoch} epochs · train {last.TrainAccuracy:P0}" +
                (last.ValidationAccuracy is { } v ? $" · held-out {v:P0}" : "") + " · T retrains, S saves, E exports", 1.0);
        }
        return session.Classes.Count > 0 ? new HudTraining("Not trained yet: capture samples of 2+ classes, then press T") : null;
    }

    /// <summary>
    /// The epoch's loss and accuracy as last read back from the GPU (training steps read nothing back, so early in an
    /// epoch there is no figure yet: the last finished epoch's is shown, marked as such).
    /// </summary>
    private static string LossAndAccuracy(FineTuneProgress p, IReadOnlyList<FineTuneEpoch> history) =>
        !double.IsNaN(p.Loss) ? $"loss {p.Loss:F3} · train {p.TrainAccuracy:P0}"
        : history.Count > 0 ? $"loss {history[^1].TrainLoss:F3} · train {history[^1].TrainAccuracy:P0} (epoch {history[^1].Epoch})"
        : "loss ...";
}
