namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// Applies one <see cref="ColorMatrix"/> per image of an RGB batch [N,3,H,W] (<c>augment_color.comp</c>), in place
/// or into another batch, optionally clipping to a value range. When a matrix uses the image mean (contrast),
/// a first dispatch (<c>augment_gray_mean.comp</c>) computes every image's mean grey level on the GPU.
/// </summary>
public static class ColorAdjust
{
    private const int ParamsPerSample = 16;

    /// <summary>y = M x + o + K mean(x) per image; then clamp to <paramref name="clip"/> when given.</summary>
    /// <param name="input">RGB images.</param>
    /// <param name="output">Same shape; may be the input itself.</param>
    /// <param name="perSample">One transform per image.</param>
    /// <param name="clip">Value range to clamp to (e.g. (0, 1)); null for none.</param>
    /// <exception cref="ArgumentException">Not 3 channels, shapes differ, wrong count, or an empty clip range.</exception>
    public static void Apply(ImageBatch input, ImageBatch output, ReadOnlySpan<ColorMatrix> perSample, (float Min, float Max)? clip)
    {
        const string Op = "ColorAdjust";
        if (input.C != 3)
            throw new ArgumentException($"{Op} needs RGB images [N,3,H,W]; got {input.Shape}.", nameof(input));
        if (output.Shape != input.Shape)
            throw new ArgumentException($"{Op}: output must have the input's shape {input.Shape}; got {output.Shape}.", nameof(output));
        if (perSample.Length != input.N)
            throw new ArgumentException($"{Op}: {input.N} images need {input.N} colour transforms; got {perSample.Length}.", nameof(perSample));
        if (clip is { } range && !(range.Min <= range.Max))
            throw new ArgumentException($"{Op}: clip range [{range.Min}, {range.Max}] is empty.", nameof(clip));

        var parameters = new float[input.N * ParamsPerSample];
        bool needsMean = false;
        for (int n = 0; n < input.N; n++)
        {
            perSample[n].WriteTo(parameters.AsSpan(n * ParamsPerSample, ParamsPerSample));
            needsMean |= perSample[n].MeanWeight != 0;
        }
        GpuContext context = input.Context;
        GpuBuffer paramBuffer = context.Scratch("augment_color.params", parameters.Length);
        paramBuffer.Upload<float>(parameters);
        GpuBuffer means = context.Scratch("augment_color.mean", input.N);
        if (needsMean)
        {
            context.Programs.Get("augment_gray_mean.comp")
                .Set("H", input.H).Set("W", input.W)
                .Bind(0, input.Buffer).Bind(1, means)
                .Dispatch(input.N);
        }
        context.Programs.Get("augment_color.comp")
            .Set("N", input.N).Set("H", input.H).Set("W", input.W)
            .Set("clampValues", clip is null ? 0 : 1).Set("lo", clip?.Min ?? 0f).Set("hi", clip?.Max ?? 0f)
            .Bind(0, input.Buffer).Bind(1, output.Buffer).Bind(2, paramBuffer).Bind(3, means)
            .DispatchLinear((long)input.N * input.H * input.W);
    }
}
