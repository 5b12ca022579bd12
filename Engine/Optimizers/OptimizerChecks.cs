namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Hyper-parameter checks shared by optimizers and schedules. Each throws
/// <see cref="ArgumentOutOfRangeException"/> whose parameter name is the offending setting and
/// whose message gives the allowed range and the value received.
/// </summary>
internal static class OptimizerChecks
{
    // Float settings are checked through these overloads so messages quote the value as written
    // (0.0001, not its widened double 9.99999974737875E-05).
    public static void NonNegativeFinite(float value, string name) => NonNegativeFinite(value, name, value.ToString());
    public static void PositiveFinite(float value, string name) => PositiveFinite(value, name, value.ToString());
    public static void UnitInterval(float value, string name) => UnitInterval(value, name, value.ToString());
    public static void OpenUnitInterval(float value, string name) => OpenUnitInterval(value, name, value.ToString());

    /// <summary>value >= 0 and finite (learning rates, penalties, thresholds).</summary>
    public static void NonNegativeFinite(double value, string name, string? shown = null)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0; got {shown ?? value.ToString()}.");
    }

    /// <summary>value > 0 and finite (epsilon, clipping limits).</summary>
    public static void PositiveFinite(double value, string name, string? shown = null)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0; got {shown ?? value.ToString()}.");
    }

    /// <summary>0 &lt;= value &lt; 1 (momentum, betas, decay rates).</summary>
    public static void UnitInterval(double value, string name, string? shown = null)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1); got {shown ?? value.ToString()}.");
    }

    /// <summary>0 &lt; value &lt; 1 (plateau reduction factor).</summary>
    public static void OpenUnitInterval(double value, string name, string? shown = null)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1); got {shown ?? value.ToString()}.");
    }

    /// <summary>value >= minimum (counts such as patience or step size).</summary>
    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}; got {value}.");
    }
}
