namespace VisionPlugin.Classification;

/// <summary>Picks the most probable classes from a probability row.</summary>
internal static class TopK
{
    /// <summary>The <paramref name="k"/> largest of <paramref name="probabilities"/>[0..labels.Count), ties to the lower index.</summary>
    public static IReadOnlyList<Prediction> Of(ReadOnlySpan<float> probabilities, IReadOnlyList<string> labels, int k)
    {
        float[] row = probabilities[..labels.Count].ToArray();
        return Enumerable.Range(0, labels.Count)
            .OrderByDescending(c => row[c]).ThenBy(c => c)
            .Take(Math.Min(k, labels.Count))
            .Select(c => new Prediction(c, labels[c], row[c]))
            .ToArray();
    }
}
