using System.Globalization;

namespace VisionPlugin.Visualization;

/// <summary>
/// The range and tick marks of one plot axis: ticks at "nice" round values (1, 2 or 5 times a power
/// of ten) with labels that carry just enough decimals for the step.
/// </summary>
/// <param name="Min">Value at the low end of the axis.</param>
/// <param name="Max">Value at the high end of the axis (always greater than <paramref name="Min"/>).</param>
/// <param name="Step">Distance between ticks.</param>
/// <param name="Ticks">Tick values inside [Min, Max], ascending.</param>
internal sealed record AxisTicks(double Min, double Max, double Step, IReadOnlyList<double> Ticks)
{
    /// <summary>
    /// An axis that shows [<paramref name="low"/>, <paramref name="high"/>] with at most about
    /// <paramref name="maxTickCount"/> ticks. With <paramref name="snapToTicks"/> the ends move outwards
    /// to the nearest ticks (for value axes); otherwise the range is the data's (for an epoch axis).
    /// A degenerate range (one value, or no values at all: pass NaN) is widened so that nothing divides by zero.
    /// </summary>
    /// <param name="low">Smallest value to show, or NaN when there is no data.</param>
    /// <param name="high">Largest value to show, or NaN when there is no data.</param>
    /// <param name="maxTickCount">Upper bound on tick intervals before snapping, 1 or more.</param>
    /// <param name="snapToTicks">Whether the ends are rounded outwards to ticks.</param>
    /// <param name="integerSteps">Whether ticks must be whole numbers (epochs).</param>
    /// <param name="floor">The axis does not extend below this, unless the data does.</param>
    /// <param name="ceiling">The axis does not extend above this, unless the data does.</param>
    public static AxisTicks Create(double low, double high, int maxTickCount, bool snapToTicks, bool integerSteps,
        double floor = double.NegativeInfinity, double ceiling = double.PositiveInfinity)
    {
        // Floor and ceiling give way to the data, not to the room made around a single value.
        double dataLow = double.IsFinite(low) ? low : double.PositiveInfinity, dataHigh = double.IsFinite(high) ? high : double.NegativeInfinity;
        (low, high) = Widen(low, high, integerSteps);
        double step = NiceStepAtLeast((high - low) / Math.Max(1, maxTickCount));
        if (integerSteps) step = Math.Max(1, step);
        double min = low, max = high;
        if (snapToTicks)
        {
            min = Math.Max(Math.Floor(low / step + 1e-9) * step, Math.Min(floor, dataLow));
            max = Math.Min(Math.Ceiling(high / step - 1e-9) * step, Math.Max(ceiling, dataHigh));
            if (!(max > min)) (min, max) = (low, high);
        }
        var ticks = new List<double>();
        for (long k = (long)Math.Ceiling(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
            ticks.Add(k * step);
        return new AxisTicks(min, max, step, ticks);
    }

    /// <summary>Labels for <see cref="Ticks"/> with the decimals <see cref="Step"/> needs ("0.5", "1.0", "1.5").</summary>
    public IReadOnlyList<string> Labels()
    {
        int decimals = DecimalsFor(Step);
        return Ticks.Select(value => Format(value, decimals)).ToArray();
    }

    /// <summary>The smallest of 1, 2, 5 x 10^k that is at least <paramref name="value"/> (a positive finite number).</summary>
    internal static double NiceStepAtLeast(double value)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double mantissa in (ReadOnlySpan<double>)[1, 2, 5, 10])
            if (mantissa * power >= value * (1 - 1e-12)) return mantissa * power;
        return 10 * power;
    }

    /// <summary>Decimals that print multiples of <paramref name="step"/> exactly (0.25 gives 2, 5 gives 0), at most 10.</summary>
    internal static int DecimalsFor(double step)
    {
        for (int decimals = 0; decimals < 10; decimals++)
        {
            double scaled = step * Math.Pow(10, decimals);
            if (Math.Abs(scaled - Math.Round(scaled)) <= 1e-6 * scaled) return decimals;
        }
        return 10;
    }

    private static string Format(double value, int decimals)
    {
        string text = value.ToString("F" + decimals, CultureInfo.InvariantCulture);
        // A tick at -1e-17 would print "-0.0"; a zero tick is just zero.
        return text.TrimStart('-').All(c => c is '0' or '.') ? text.TrimStart('-') : text;
    }

    // One value (or none) has no extent: give it one around the value (or [0, 1]), so scales never divide by zero.
    private static (double Low, double High) Widen(double low, double high, bool integerSteps)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) return (0, 1);
        double magnitude = Math.Max(Math.Abs(low), Math.Abs(high));
        if (high - low > 1e-9 * magnitude && high > low) return (low, high);
        double half = integerSteps ? 1 : magnitude > 0 ? magnitude * 0.1 : 1;
        return (low - half, high + half);
    }
}
