using System.Collections.Concurrent;

namespace VisionPlugin.Engine;

/// <summary>
/// What a convolution kernel does to its result before storing it (<c>conv_epilogue.glsl</c>). Two modes:
/// <list type="bullet">
/// <item>inference (EPILOGUE 1): y = clamp(conv(x, w) + b + residual, <see cref="Min"/>, <see cref="Max"/>). The clamp
/// is the fused activation (ReLU [0, +inf], ReLU6 [0, 6], Clip [min, max], none [-inf, +inf]); <see cref="Residual"/> is
/// the other operand of a following residual Add (shaped like the output), or null. Built by
/// <see cref="Models.InferenceGraphOptimizer"/>.</item>
/// <item>training (EPILOGUE 2, <see cref="MasksGradient"/>): a backward-input kernel multiplies its result dx by the
/// derivative of the clamp activation that produced the conv's input (<see cref="ActivationDerivativeMask"/>);
/// <see cref="Residual"/> then holds that activation's output. Built by <see cref="ActivationDerivativeMask.ToEpilogue"/>.</item>
/// </list>
/// </summary>
public readonly record struct ConvEpilogue(float Min, float Max, Tensor? Residual)
{
    private static readonly ConcurrentDictionary<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> MaskVariants =
        new(ReferenceEqualityComparer.Instance);

    /// <summary>No clamp and no residual: y = conv(x, w) + b.</summary>
    public static ConvEpilogue None => new(float.NegativeInfinity, float.PositiveInfinity, null);

    /// <summary>
    /// Training mode: result *= [Min &lt; a &amp;&amp; (MaskOpenAbove || a &lt; Max)] with a = <see cref="Residual"/>[i], the activation output.
    /// </summary>
    internal bool MasksGradient { get; init; }

    /// <summary>Training mode only: no upper bound (ReLU), so a = +inf still passes the gradient as ReLU's own backward does.</summary>
    internal bool MaskOpenAbove { get; init; }

    /// <summary>True when the epilogue changes nothing (the plain kernels run).</summary>
    public bool IsIdentity => !MasksGradient && float.IsNegativeInfinity(Min) && float.IsPositiveInfinity(Max) && Residual is null;

    /// <summary>Checks the clamp bounds and the residual's shape against the convolution output.</summary>
    internal void Validate(TensorShape output)
    {
        if (float.IsNaN(Min) || float.IsNaN(Max) || Min > Max)
            throw new ArgumentOutOfRangeException(nameof(Min), $"Conv epilogue clamp [{Min}, {Max}] needs min <= max.");
        if (Residual is not null && Residual.Shape != output)
            throw new ArgumentException($"Conv epilogue {(MasksGradient ? "activation output" : "residual")} must have the output shape {output}; got {Residual.Shape}.", nameof(Residual));
    }

    /// <summary>Sets the epilogue's uniforms and binds the residual / activation output (or <paramref name="unused"/>) to
    /// <paramref name="binding"/> (4, or the kernel's EPILOGUE_BINDING).</summary>
    internal ComputeProgram Apply(ComputeProgram program, GpuBuffer unused, int binding = 4)
    {
        program.Set("clampMin", Min).Set("clampMax", Max).Bind(binding, Residual?.Buffer ?? unused);
        return MasksGradient ? program.Set("maskOpenAbove", MaskOpenAbove ? 1 : 0) : program.Set("hasResidual", Residual is null ? 0 : 1);
    }

    /// <summary>
    /// The program defines for this epilogue given a variant's defines with the inference epilogue (EPILOGUE 1, or none
    /// for the backward-only kernels): the same defines with EPILOGUE 2 in training mode, unchanged otherwise.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Defines(ConvEpilogue? epilogue, IReadOnlyDictionary<string, string> defines) =>
        epilogue is { MasksGradient: true }
            ? MaskVariants.GetOrAdd(defines, d => new Dictionary<string, string>(d) { ["EPILOGUE"] = "2" })
            : defines;
}
