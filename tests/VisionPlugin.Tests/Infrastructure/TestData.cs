namespace VisionPlugin.Tests;

/// <summary>Seeded random inputs for kernel tests.</summary>
public static class TestData
{
    /// <summary>Uniform values in [min, max).</summary>
    public static double[] Uniform(int seed, int count, double min = -1, double max = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = min + (max - min) * random.NextDouble();
        return values;
    }

    /// <summary>
    /// Values whose magnitude is at least <paramref name="margin"/>, so finite differences never
    /// straddle a kink at zero (ReLU, max, abs).
    /// </summary>
    public static double[] AwayFromZero(int seed, int count, double margin = 0.05, double max = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double magnitude = margin + (max - margin) * random.NextDouble();
            values[i] = random.Next(2) == 0 ? -magnitude : magnitude;
        }
        return values;
    }

    /// <summary>A random permutation of evenly spaced distinct values (no ties for max-style ops).</summary>
    public static double[] Distinct(int seed, int count, double min = -1, double max = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = min + (max - min) * (i + 0.5) / count;
        random.Shuffle(values);
        return values;
    }

    public static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>Rounds to float precision and back, so the reference sees exactly what the GPU sees.</summary>
    public static double[] RoundToFloat(double[] values) => Array.ConvertAll(values, v => (double)(float)v);
}
