namespace VisionPlugin.Engine;

/// <summary>
/// Chooses how a long reduction is split across invocations (pass 1 writes one partial sum per
/// slice, <c>sum_partials.comp</c> adds them), so gradients need no float atomics.
/// </summary>
internal static class SplitReduction
{
    /// <summary>Enough invocations to keep every core busy, without slices shorter than <paramref name="minChunk"/>.</summary>
    public static (int Splits, int Chunk) Plan(long outputs, long reductionLength, int targetInvocations = 8192, int minChunk = 64)
    {
        if (reductionLength <= 0) return (1, 1);
        long wanted = Math.Max(1, targetInvocations / Math.Max(1, outputs));
        long maxByChunk = Math.Max(1, reductionLength / minChunk);
        int splits = (int)Math.Clamp(Math.Min(wanted, maxByChunk), 1, 1024);
        int chunk = (int)((reductionLength + splits - 1) / splits);
        splits = (int)((reductionLength + chunk - 1) / chunk);
        return (splits, chunk);
    }

    /// <summary>result = beta * result + sum over slices of partial[splits, count].</summary>
    public static void SumPartials(GpuContext context, GpuBuffer partial, int splits, GpuBuffer result, int count, float beta)
    {
        context.Programs.Get("sum_partials.comp")
            .Set("count", count).Set("splits", splits).Set("beta", beta)
            .Bind(0, partial).Bind(1, result)
            .DispatchLinear(count);
    }
}
