namespace VisionPlugin.Visualization;

/// <summary>Maps float values to 8-bit intensities for the network pictures.</summary>
internal static class TensorPixels
{
    /// <summary>Smallest and largest finite value of <paramref name="values"/> ((0, 0) when none is finite).</summary>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return min <= max ? (min, max) : (0, 0);
    }

    /// <summary>
    /// A min-max normalizer over [min, max]: min -> 0, max -> 255. A constant range (nothing to stretch) keeps its
    /// sign instead: positive -> 255, zero or negative -> 0, so a constant filter still reads as excitatory or
    /// not, and a silent (all-zero) map is black.
    /// </summary>
    public static Func<float, byte> MinMax(float min, float max)
    {
        float span = max - min;
        if (!(span > 1e-12f * Math.Max(1f, Math.Max(Math.Abs(min), Math.Abs(max)))))
        {
            byte constant = min > 0 ? (byte)255 : (byte)0;
            return _ => constant;
        }
        float scale = 255f / span;
        return v => float.IsFinite(v) ? (byte)Math.Clamp((int)MathF.Round((v - min) * scale), 0, 255) : (byte)0;
    }
}
