namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// The geometric augmentation kernel (<c>augment_affine.comp</c>): every output image is a bilinear resampling
/// of one source image through its own affine map — flips, crops, resized crops, rotation, shear, scale and
/// translation, or any composition of them in a single pass. Output pixel (ox, oy) of sample n reads
/// <c>bilinear(source[sourceIndex[n]], map[n](ox + 0.5, oy + 0.5) - 0.5)</c> (half-pixel centres, like
/// <see cref="Imaging.ImagePreprocessing"/>); maps that shrink by s &gt; 1 average ceil(s) x ceil(s) taps
/// (at most 4 x 4) over the output pixel's footprint. Any channel count.
/// </summary>
public static class AffineWarp
{
    /// <summary>Floats per output sample in the kernel's parameter buffer: a, b, tx, c, d, ty, source index, taps.</summary>
    public const int ParamsPerSample = 8;

    /// <summary>Largest taps per axis for shrinking maps.</summary>
    public const int MaxTaps = 4;

    /// <summary>
    /// Taps per axis for an inverse map: ceil(<see cref="AffineMatrix.MaxStretch"/>) clamped to [1, <see cref="MaxTaps"/>]
    /// (a small tolerance keeps exact 1:1 maps at one tap).
    /// </summary>
    public static int Taps(AffineMatrix inverseMap) =>
        Math.Clamp((int)Math.Ceiling(inverseMap.MaxStretch - 1e-6), 1, MaxTaps);

    /// <summary>
    /// Warps <paramref name="input"/> [NI,C,H,W] into <paramref name="output"/> [N,C,OH,OW]: output sample n is
    /// source image <paramref name="sourceIndices"/>[n] (n itself when the span is empty) seen through
    /// <paramref name="inverseMaps"/>[n], which maps output pixel-centre coordinates to source ones.
    /// </summary>
    /// <param name="input">Source images.</param>
    /// <param name="output">Destination; must not share the input's buffer.</param>
    /// <param name="inverseMaps">One map per output sample.</param>
    /// <param name="border">What samples outside the source read.</param>
    /// <param name="sourceIndices">Per output sample, the source image (empty: the same index, which needs NI = N).</param>
    /// <exception cref="ArgumentException">Shapes, counts or indices do not fit; buffers are shared. The message says which.</exception>
    public static void Apply(ImageBatch input, ImageBatch output, ReadOnlySpan<AffineMatrix> inverseMaps, Border border,
        ReadOnlySpan<int> sourceIndices = default)
    {
        const string Op = "AffineWarp";
        if (output.C != input.C)
            throw new ArgumentException($"{Op}: output {output.Shape} must have the input's {input.C} channels (input {input.Shape}).", nameof(output));
        if (output.SharesBufferWith(input))
            throw new ArgumentException($"{Op} cannot run in place: input {input.Shape} and output {output.Shape} share a buffer.", nameof(output));
        if (inverseMaps.Length != output.N)
            throw new ArgumentException($"{Op}: {output.N} output samples need {output.N} maps; got {inverseMaps.Length}.", nameof(inverseMaps));
        if (sourceIndices.IsEmpty && input.N != output.N)
            throw new ArgumentException($"{Op}: without source indices input {input.Shape} and output {output.Shape} need the same batch size.", nameof(sourceIndices));
        if (!sourceIndices.IsEmpty && sourceIndices.Length != output.N)
            throw new ArgumentException($"{Op}: {output.N} output samples need {output.N} source indices; got {sourceIndices.Length}.", nameof(sourceIndices));

        var parameters = new float[output.N * ParamsPerSample];
        for (int n = 0; n < output.N; n++)
        {
            int source = sourceIndices.IsEmpty ? n : sourceIndices[n];
            if ((uint)source >= (uint)input.N)
                throw new ArgumentOutOfRangeException(nameof(sourceIndices), source, $"{Op}: source index of output {n} must be in [0, {input.N}).");
            AffineMatrix m = inverseMaps[n];
            if (!double.IsFinite(m.A + m.B + m.Tx + m.C + m.D + m.Ty))
                throw new ArgumentException($"{Op}: map {n} is not finite: {m}.", nameof(inverseMaps));
            Span<float> p = parameters.AsSpan(n * ParamsPerSample, ParamsPerSample);
            p[0] = (float)m.A; p[1] = (float)m.B; p[2] = (float)m.Tx;
            p[3] = (float)m.C; p[4] = (float)m.D; p[5] = (float)m.Ty;
            p[6] = source;
            p[7] = Taps(m);
        }
        GpuContext context = input.Context;
        GpuBuffer paramBuffer = context.Scratch("augment_affine.params", parameters.Length);
        paramBuffer.Upload<float>(parameters);
        context.Programs.Get("augment_affine.comp")
            .Set("N", output.N).Set("C", input.C).Set("H", input.H).Set("W", input.W).Set("OH", output.H).Set("OW", output.W)
            .Set("border", (int)border.Mode).Set("fill", border.Fill)
            .Bind(0, input.Buffer).Bind(1, output.Buffer).Bind(2, paramBuffer)
            .DispatchLinear((long)output.N * output.H * output.W);
    }
}
