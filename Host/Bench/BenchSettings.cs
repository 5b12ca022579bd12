namespace VisionPlugin.Host.Bench;

/// <summary>
/// Repeat counts and sizes of one bench run. <see cref="Quick"/> is the smoke-test setting: every section runs with
/// tiny counts (figures are then rough, but every path — ours, peers, verification — is exercised).
/// </summary>
internal sealed record BenchSettings
{
    /// <summary>Timed MobileNetV2 forwards per batch size (after <see cref="Warmup"/> untimed ones).</summary>
    public int Repeats { get; init; } = 20;
    public int Warmup { get; init; } = 3;
    /// <summary>Timed fine-tuning steps.</summary>
    public int FineTuneSteps { get; init; } = 10;
    /// <summary>Training images LeNet-5 is timed on (one epoch over this many Fashion-MNIST images).</summary>
    public int LeNetImages { get; init; } = 10_000;
    /// <summary>Timed runs per conv pass.</summary>
    public int ConvRepeats { get; init; } = 5;
    /// <summary>Only conv layers whose network or name contains this text.</summary>
    public string? ConvFilter { get; init; }
    /// <summary>Child processes per start-up measurement (cold and warm each).</summary>
    public int StartupRuns { get; init; } = 3;
    public bool Quick { get; init; }

    public static BenchSettings QuickSettings { get; } = new()
    {
        Repeats = 2, Warmup = 1, FineTuneSteps = 2, LeNetImages = 512, ConvRepeats = 1, ConvFilter = "3x3 64->64", StartupRuns = 1, Quick = true,
    };

    public void Validate()
    {
        if (Repeats < 1) throw new ArgumentException($"--repeats must be at least 1; got {Repeats}.");
        if (LeNetImages < 64) throw new ArgumentException($"--lenet-images must be at least 64 (one batch); got {LeNetImages}.");
    }
}
