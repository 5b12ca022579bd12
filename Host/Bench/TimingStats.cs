using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VisionPlugin.Host.Bench;

/// <summary>10th percentile, median and 90th percentile of repeated timings, in milliseconds.</summary>
internal sealed record TimingStats(double P10Ms, double MedianMs, double P90Ms, int Repeats)
{
    /// <summary>Runs <paramref name="pass"/> <paramref name="warmup"/> times untimed, then times it <paramref name="repeats"/> times.</summary>
    /// <param name="pass">One measured pass; it must wait for the GPU itself (e.g. end with <c>context.Finish()</c>).</param>
    public static TimingStats Measure(Action pass, int warmup, int repeats)
    {
        if (repeats < 1) throw new ArgumentException($"At least one timed repeat is needed; got {repeats}.", nameof(repeats));
        for (int i = 0; i < warmup; i++) pass();
        var milliseconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return FromSamples(milliseconds);
    }

    /// <summary>Percentiles of <paramref name="milliseconds"/> (the same picks as the peer scripts: sorted[floor(q·n)]).</summary>
    public static TimingStats FromSamples(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("No timings.", nameof(milliseconds));
        double[] sorted = [.. milliseconds.Order()];
        double Pick(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return new TimingStats(Pick(0.1), sorted[sorted.Length / 2], Pick(0.9), sorted.Length);
    }

    /// <summary>Reads a peer script's {"p10_ms","median_ms","p90_ms","repeats"} object.</summary>
    public static TimingStats FromJson(JsonNode node) =>
        new(node["p10_ms"]!.GetValue<double>(), node["median_ms"]!.GetValue<double>(), node["p90_ms"]!.GetValue<double>(), node["repeats"]!.GetValue<int>());

    public string Spread => $"p10 {P10Ms:F1} / p90 {P90Ms:F1} ms, n={Repeats}";

    public JsonObject ToJson() => new()
    {
        ["p10_ms"] = BenchFigure.Round(P10Ms), ["median_ms"] = BenchFigure.Round(MedianMs), ["p90_ms"] = BenchFigure.Round(P90Ms), ["repeats"] = Repeats,
    };
}
