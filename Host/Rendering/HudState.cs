namespace VisionPlugin.Host.Rendering;

/// <summary>One row of the predictions list: a class label and its probability in [0, 1].</summary>
public sealed record HudPrediction(string Label, double Probability);

/// <summary>A class of the fine-tuning session: its number key (1..9), name and how many samples it has.</summary>
public sealed record HudClass(int Key, string Name, int SampleCount);

/// <summary>The fine-tuning status line, e.g. "Training epoch 3/10 · loss 0.41 · val 82%", and its progress in [0, 1] (null: no bar).</summary>
public sealed record HudTraining(string Status, double? Progress = null);

/// <summary>
/// Everything the overlay shows, as plain immutable data; the live loop builds one per frame and
/// <see cref="HudView"/> draws it. Null or empty members are left out of the picture.
/// </summary>
public sealed record HudState
{
    /// <summary>Top-k predictions, best first.</summary>
    public IReadOnlyList<HudPrediction> Predictions { get; init; } = [];

    /// <summary>Preview frames per second.</summary>
    public double? FramesPerSecond { get; init; }

    /// <summary>Inference latency of the last classification in milliseconds.</summary>
    public double? InferenceMilliseconds { get; init; }

    public string? ModelName { get; init; }
    public string? SourceName { get; init; }

    /// <summary>A problem with the frame source ("Camera lost – reconnecting in 2 s"), shown prominently as a warning.</summary>
    public string? SourceStatus { get; init; }

    public HudTraining? Training { get; init; }

    /// <summary>The session's classes with their number keys and sample counts.</summary>
    public IReadOnlyList<HudClass> Classes { get; init; } = [];

    /// <summary>"Accuracy vs segment labels: 87% (52/60)" or similar; null hides it.</summary>
    public string? AccuracyLine { get; init; }

    /// <summary>Help text, one entry per line; shown when <see cref="ShowHelp"/>.</summary>
    public IReadOnlyList<string> HelpLines { get; init; } = [];

    public bool ShowHelp { get; init; }

    /// <summary>A transient notice ("Saved session to …"); the caller clears it after a few seconds.</summary>
    public string? Message { get; init; }
}
