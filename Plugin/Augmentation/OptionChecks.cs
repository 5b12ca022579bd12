namespace VisionPlugin.Augmentation;

/// <summary>
/// Validation of transform options at the public boundary: every failure is an
/// <see cref="ArgumentOutOfRangeException"/> carrying the parameter name and the offending value, and a
/// message that says both and the allowed range.
/// </summary>
internal static class OptionChecks
{
    public static double Probability(double p, string name) =>
        p is >= 0 and <= 1 ? p : throw Fail(name, p, "a probability in [0, 1]");

    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw Fail(name, value, "finite and >= 0");

    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw Fail(name, value, "finite and > 0");

    public static int AtLeast(int value, int minimum, string name) =>
        value >= minimum ? value : throw Fail(name, value, $"at least {minimum}");

    public static int InRange(int value, int minimum, int maximum, string name) =>
        value >= minimum && value <= maximum ? value : throw Fail(name, value, $"in [{minimum}, {maximum}]");

    /// <summary>A (min, max) range with lower &lt;= min &lt;= max &lt;= upper, all finite.</summary>
    public static (double Min, double Max) Range((double Min, double Max) range, double lower, double upper, string name)
    {
        bool ok = double.IsFinite(range.Min) && double.IsFinite(range.Max) && range.Min <= range.Max && range.Min >= lower && range.Max <= upper;
        return ok ? range : throw Fail(name, range, $"a finite (min, max) range with {lower} <= min <= max <= {upper}");
    }

    public static float Finite(float value, string name) =>
        float.IsFinite(value) ? value : throw Fail(name, value, "finite");

    private static ArgumentOutOfRangeException Fail(string name, object value, string rule) =>
        new(name, value, $"{name} must be {rule}; got {value}.");
}
