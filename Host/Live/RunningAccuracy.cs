namespace VisionPlugin.Host.Live;

/// <summary>Accuracy of live predictions against known labels (the sample video's segment labels), overall and per label.</summary>
internal sealed class RunningAccuracy
{
    private readonly Dictionary<string, (int Correct, int Total)> _perLabel = new(StringComparer.Ordinal);

    /// <summary>Predictions scored.</summary>
    public int Total { get; private set; }

    /// <summary>Predictions whose top-1 equals the label.</summary>
    public int Correct { get; private set; }

    /// <summary>Correct / Total (NaN before the first).</summary>
    public double Accuracy => Total == 0 ? double.NaN : Correct / (double)Total;

    /// <summary>Per label: (correct, total).</summary>
    public IReadOnlyDictionary<string, (int Correct, int Total)> PerLabel => _perLabel;

    /// <summary>Scores one prediction.</summary>
    public void Add(string expected, string predicted)
    {
        bool hit = string.Equals(expected, predicted, StringComparison.Ordinal);
        Total++;
        if (hit) Correct++;
        var (c, t) = _perLabel.GetValueOrDefault(expected);
        _perLabel[expected] = (c + (hit ? 1 : 0), t + 1);
    }
}
