namespace VisionPlugin.Engine;

/// <summary>Small elementwise helpers on the GPU used by models and optimizers.</summary>
public static class TensorMath
{
    /// <summary>target = beta * target + alpha * source (same element count).</summary>
    public static void Axpby(Tensor source, Tensor target, float alpha = 1f, float beta = 1f)
    {
        if (source.ElementCount != target.ElementCount)
            throw new ArgumentException($"Axpby needs equal sizes; source {source.Shape}, target {target.Shape}.", nameof(source));
        target.Context.Programs.Get("axpy.comp")
            .Set("count", target.ElementCount).Set("alpha", alpha).Set("beta", beta)
            .Bind(0, source).Bind(1, target)
            .DispatchLinear(target.ElementCount);
    }

    /// <summary>target += source.</summary>
    public static void AddInPlace(Tensor target, Tensor source) => Axpby(source, target, 1f, 1f);

    /// <summary>target = source (on the GPU, no readback).</summary>
    public static void Copy(Tensor source, Tensor target)
    {
        if (source.ElementCount != target.ElementCount)
            throw new ArgumentException($"Copy needs equal sizes; source {source.Shape}, target {target.Shape}.", nameof(source));
        target.Buffer.CopyFrom(source.Buffer, source.ElementCount);
    }
}
