namespace VisionPlugin.Engine;

/// <summary>
/// Sums a vector of floats on the GPU into one element: <c>reduce_channels.comp</c> viewed as a
/// single channel writes one partial sum per slice, <c>sum_partials.comp</c> adds the slices.
/// No float atomics. Used for loss values and correct-prediction counts.
/// </summary>
internal static class ScalarReduction
{
    /// <summary>result[0] = sum_{i &lt; count} values[i].</summary>
    public static void Sum(GpuContext context, GpuBuffer values, int count, GpuBuffer result)
    {
        var (splits, chunk) = SplitReduction.Plan(1, count);
        GpuBuffer partial = context.Scratch("scalar_reduction.partial", splits);
        context.Programs.Get("reduce_channels.comp")
            .Set("N", 1).Set("C", 1).Set("S", count).Set("splits", splits).Set("chunk", chunk).Set("product", 0)
            .Bind(0, values).Bind(1, values).Bind(2, partial)
            .DispatchLinear(splits);
        SplitReduction.SumPartials(context, partial, splits, result, 1, 0f);
    }

    /// <summary>Reads one float back (waits for the GPU).</summary>
    public static float Read(GpuBuffer buffer)
    {
        Span<float> value = stackalloc float[1];
        buffer.Download(value);
        return value[0];
    }
}
