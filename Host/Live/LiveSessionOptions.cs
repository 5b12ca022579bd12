using VisionPlugin.FineTuning;

namespace VisionPlugin.Host.Live;

/// <summary>Settings of a live session.</summary>
internal sealed record LiveSessionOptions
{
    /// <summary>How captured classes are fine-tuned (backbone, mode, epochs, ...).</summary>
    public FineTuneOptions FineTune { get; init; } = new() { Epochs = 15, ValidationSplit = 0.2 };

    /// <summary>Where sessions, exports and headless output go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "live");

    /// <summary>Predictions shown per frame.</summary>
    public int TopK { get; init; } = 3;

    /// <summary>Display name of a model file given with --model.</summary>
    public string ModelName { get; init; } = "";

    /// <summary>How long a transient message stays on screen.</summary>
    public TimeSpan MessageDuration { get; init; } = TimeSpan.FromSeconds(6);
}
