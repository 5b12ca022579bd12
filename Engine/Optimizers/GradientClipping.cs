namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Limits on the raw gradients before an optimizer uses them (before regularization is added).
/// By global norm (PyTorch <c>clip_grad_norm_</c>): over every trainable parameter's gradient
///   norm = sqrt(sum_p sum_i g_p[i]^2),  scale = min(1, MaxNorm / (norm + 1e-6)),  g *= scale.
/// The norm is reduced on the GPU and the scale stays there (the update kernels read it from a
/// buffer), so clipping costs no read-back. By value: g = clamp(g, -MaxValue, MaxValue).
/// When both are set the norm scale is applied first, then the clamp. Immutable.
/// </summary>
public sealed record GradientClipping
{
    /// <summary>Largest global L2 norm of all gradients together; null = no norm clipping.</summary>
    public float? MaxNorm { get; init; }

    /// <summary>Largest absolute value of any gradient element; null = no value clipping.</summary>
    public float? MaxValue { get; init; }

    /// <summary>No clipping.</summary>
    public static GradientClipping None { get; } = new();

    /// <summary>Rescale all gradients together so their global L2 norm is at most <paramref name="maxNorm"/>.</summary>
    public static GradientClipping ByNorm(float maxNorm) => new() { MaxNorm = maxNorm };

    /// <summary>Clamp every gradient element to [-<paramref name="maxValue"/>, <paramref name="maxValue"/>].</summary>
    public static GradientClipping ByValue(float maxValue) => new() { MaxValue = maxValue };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming a limit that is not positive and finite.</summary>
    public void Validate()
    {
        if (MaxNorm is float norm) OptimizerChecks.PositiveFinite(norm, "GradientClipping.MaxNorm");
        if (MaxValue is float value) OptimizerChecks.PositiveFinite(value, "GradientClipping.MaxValue");
    }

    public override string ToString() => (MaxNorm, MaxValue) switch
    {
        (null, null) => "no clipping",
        (float n, null) => $"clip norm {n:G4}",
        (null, float v) => $"clip value {v:G4}",
        (float n, float v) => $"clip norm {n:G4} then value {v:G4}",
    };
}
