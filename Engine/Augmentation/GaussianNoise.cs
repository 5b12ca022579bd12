namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// Additive Gaussian noise (<c>augment_noise.comp</c>): y[i] = x[i] + sigma[n] * z, z = <c>random_normal(seed, i)</c>
/// for flat NCHW index i (the same numbers <see cref="CounterRandom.Normal"/> gives on the CPU), optionally
/// clipped. Any channel count; in place or into another batch of the same shape.
/// </summary>
public static class GaussianNoise
{
    /// <param name="input">Images.</param>
    /// <param name="output">Same shape; may be the input itself.</param>
    /// <param name="sigmas">Per image, the noise's standard deviation (&gt;= 0; 0 leaves the image alone).</param>
    /// <param name="seed">The GPU stream (<see cref="AugmentationRandom.StageSeed"/>).</param>
    /// <param name="clip">Value range to clamp to; null for none.</param>
    /// <exception cref="ArgumentException">Shapes differ or the count is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A sigma is negative or not finite (named with its value).</exception>
    public static void Apply(ImageBatch input, ImageBatch output, ReadOnlySpan<float> sigmas, uint seed, (float Min, float Max)? clip)
    {
        const string Op = "GaussianNoise";
        if (output.Shape != input.Shape)
            throw new ArgumentException($"{Op}: output must have the input's shape {input.Shape}; got {output.Shape}.", nameof(output));
        if (sigmas.Length != input.N)
            throw new ArgumentException($"{Op}: {input.N} images need {input.N} standard deviations; got {sigmas.Length}.", nameof(sigmas));
        foreach (float s in sigmas)
            if (!(s >= 0) || !float.IsFinite(s))
                throw new ArgumentOutOfRangeException(nameof(sigmas), s, $"{Op} standard deviations must be finite and >= 0; got {s}.");

        GpuContext context = input.Context;
        GpuBuffer sigmaBuffer = context.Scratch("augment_noise.sigma", sigmas.Length);
        sigmaBuffer.Upload(sigmas);
        context.Programs.Get("augment_noise.comp")
            .Set("count", input.Shape.ElementCount).Set("sampleSize", input.SampleSize).Set("seed", seed)
            .Set("clampValues", clip is null ? 0 : 1).Set("lo", clip?.Min ?? 0f).Set("hi", clip?.Max ?? 0f)
            .Bind(0, input.Buffer).Bind(1, output.Buffer).Bind(2, sigmaBuffer)
            .DispatchLinear(input.Shape.ElementCount);
    }
}
