namespace VisionPlugin.Engine;

/// <summary>
/// What an inference convolution does to its result before storing it (<c>conv_epilogue.glsl</c>):
/// y = clamp(conv(x, w) + b + residual, <see cref="Min"/>, <see cref="Max"/>). The clamp is the fused activation
/// (ReLU [0, +inf], ReLU6 [0, 6], Clip [min, max], none [-inf, +inf]); <see cref="Residual"/> is the other operand
/// of a following residual Add (shaped like the output), or null. Built by <see cref="Models.InferenceGraphOptimizer"/>.
/// </summary>
public readonly record struct ConvEpilogue(float Min, float Max, Tensor? Residual)
{
    /// <summary>No clamp and no residual: y = conv(x, w) + b.</summary>
    public static ConvEpilogue None => new(float.NegativeInfinity, float.PositiveInfinity, null);

    /// <summary>True when the epilogue changes nothing (the plain kernels run).</summary>
    public bool IsIdentity => float.IsNegativeInfinity(Min) && float.IsPositiveInfinity(Max) && Residual is null;

    /// <summary>Checks the clamp bounds and the residual's shape against the convolution output.</summary>
    internal void Validate(TensorShape output)
    {
        if (float.IsNaN(Min) || float.IsNaN(Max) || Min > Max)
            throw new ArgumentOutOfRangeException(nameof(Min), $"Conv epilogue clamp [{Min}, {Max}] needs min <= max.");
        if (Residual is not null && Residual.Shape != output)
            throw new ArgumentException($"Conv epilogue residual must have the output shape {output}; got {Residual.Shape}.", nameof(Residual));
    }

    /// <summary>Sets the epilogue's uniforms and binds the residual (or <paramref name="unused"/>) to binding 4.</summary>
    internal ComputeProgram Apply(ComputeProgram program, GpuBuffer unused) =>
        program.Set("clampMin", Min).Set("clampMax", Max).Set("hasResidual", Residual is null ? 0 : 1)
            .Bind(4, Residual?.Buffer ?? unused);
}
