namespace VisionPlugin.Engine;

/// <summary>
/// Per-channel sums over batch and space on the GPU: out[c] (+)= sum_{n,h,w} t[n,c,h,w]
/// (optionally of the product t * u). Used for bias, PReLU-slope and normalization gradients.
/// </summary>
public static class ChannelReduction
{
    /// <param name="values">[N, C, ...] tensor.</param>
    /// <param name="factors">Optional tensor of the same shape; when given the sum is of values * factors.</param>
    /// <param name="result">[C] destination.</param>
    /// <param name="accumulate">Add to <paramref name="result"/> instead of overwriting it.</param>
    public static void Sum(Tensor values, Tensor? factors, Tensor result, bool accumulate)
    {
        TensorShape shape = values.Shape;
        if (shape.Rank < 2) throw new ArgumentException($"ChannelReduction expects [N,C,...]; got {shape}.", nameof(values));
        if (factors is not null && factors.Shape != shape)
            throw new ArgumentException($"ChannelReduction factors must match values: {factors.Shape} vs {shape}.", nameof(factors));
        int n = shape[0], c = shape[1];
        int spatial = c == 0 || n == 0 ? 0 : shape.ElementCount / (n * c);
        if (result.ElementCount != c)
            throw new ArgumentException($"ChannelReduction result must have {c} elements for {shape}; got {result.Shape}.", nameof(result));
        GpuContext context = values.Context;
        var (splits, chunk) = SplitReduction.Plan(c, (long)n * spatial);
        GpuBuffer partial = context.Scratch("channel_reduction.partial", (long)splits * c);
        context.Programs.Get("reduce_channels.comp")
            .Set("N", n).Set("C", c).Set("S", spatial).Set("splits", splits).Set("chunk", chunk)
            .Set("product", factors is null ? 0 : 1)
            .Bind(0, values).Bind(1, (factors ?? values).Buffer).Bind(2, partial)
            .DispatchLinear((long)c * splits);
        SplitReduction.SumPartials(context, partial, splits, result.Buffer, c, accumulate ? 1f : 0f);
    }
}
