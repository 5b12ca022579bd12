namespace VisionPlugin.Engine;

/// <summary>
/// The derivative of a clamp activation a = act(z) written as a function of its OUTPUT a, so a convolution that reads
/// a as its input x can apply it in its backward-input kernel (<c>conv_epilogue.glsl</c>, EPILOGUE 2):
///   dz[i] = dx[i] * act'(z[i]) = dx[i] * [Min &lt; a[i] &amp;&amp; (OpenAbove || a[i] &lt; Max)]
/// This is exactly the 0/1 factor <c>activation_backward.comp</c> takes from z: for a = clamp(z, lo, hi) (ReLU6, Clip)
/// and a = z &gt; 0 ? z : 0 (ReLU), lo &lt; a &lt; hi holds iff lo &lt; z &lt; hi, also at the bounds (z = lo gives a = lo:
/// 0 either way) and for z = NaN (0 either way). ReLU has no upper bound (<see cref="OpenAbove"/>): z = +inf has slope 1.
/// Only ReLU, ReLU6 and Clip qualify (<see cref="TryFor"/>); randomized or smooth activations never do.
/// </summary>
/// <param name="Min">Lower bound (exclusive).</param>
/// <param name="Max">Upper bound (exclusive); ignored when <paramref name="OpenAbove"/>.</param>
/// <param name="OpenAbove">No upper bound (ReLU).</param>
public readonly record struct ActivationDerivativeMask(float Min, float Max, bool OpenAbove)
{
    /// <summary>The mask of <paramref name="options"/>'s kind: ReLU (0, +inf), ReLU6 (0, 6), Clip (min, max); false for every other kind.</summary>
    public static bool TryFor(ActivationOptions options, out ActivationDerivativeMask mask)
    {
        ArgumentNullException.ThrowIfNull(options);
        mask = options.Kind switch
        {
            ActivationKind.Relu => new(0f, float.PositiveInfinity, OpenAbove: true),
            ActivationKind.Relu6 => new(0f, 6f, OpenAbove: false),
            ActivationKind.Clip => new(options.Min, options.Max, OpenAbove: false),
            _ => default,
        };
        return options.Kind is ActivationKind.Relu or ActivationKind.Relu6 or ActivationKind.Clip;
    }

    /// <summary>act'(z) from a = act(z): 1 inside the bounds, 0 outside or at them (the C# reference of the epilogue).</summary>
    public float Slope(float activationOutput) =>
        activationOutput > Min && (OpenAbove || activationOutput < Max) ? 1f : 0f;

    /// <summary>The backward-input epilogue that applies this mask, reading <paramref name="activationOutput"/> (laid out like dx).</summary>
    internal ConvEpilogue ToEpilogue(Tensor activationOutput)
    {
        ArgumentNullException.ThrowIfNull(activationOutput);
        return new ConvEpilogue(Min, OpenAbove ? float.PositiveInfinity : Max, activationOutput) { MasksGradient = true, MaskOpenAbove = OpenAbove };
    }
}
