namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Hyper-parameter checks shared by optimizers and schedules. Each throws
/// <see cref="ArgumentOutOfRangeException"/> whose parameter name is the offending setting and
/// whose message gives the allowed range and the value received.
/// </summary>
internal static class OptimizerChecks
{
    /// <summary>value >= 0 and finite (learning rates, penalties, thresholds).</summary>
    public static void NonNegativeFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0; got {value}.");
    }

    /// <summary>value > 0 and finite (epsilon, clipping limits).</summary>
    public static void PositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0; got {value}.");
    }

    /// <summary>0 &lt;= value &lt; 1 (momentum, betas, decay rates).</summary>
    public static void UnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1); got {value}.");
    }

    /// <summary>0 &lt; value &lt; 1 (plateau reduction factor).</summary>
    public static void OpenUnitInterval(double value, string name)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1); got {value}.");
    }

    /// <summary>value >= minimum (counts such as patience or step size).</summary>
    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}; got {value}.");
    }
}
