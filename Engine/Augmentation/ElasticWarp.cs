namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// Local elastic warping (<c>augment_elastic.comp</c>): each image is resampled through a smooth random
/// displacement field — a <c>gridSize</c> x <c>gridSize</c> lattice of random vectors spanning the image, each
/// uniform over the disc of radius <c>amplitude[n]</c> pixels and drawn on the GPU from
/// <c>random_uniform(seed, node)</c>, bilinearly interpolated — so no pixel moves by more than the amplitude and
/// amplitude 0 is an exact copy. Coarse grids (3-6) bend the image gently; fine grids make it ripple.
/// </summary>
public static class ElasticWarp
{
    /// <summary>Smallest lattice (a single cell: an affine-like bend).</summary>
    public const int MinGridSize = 2;

    /// <summary>Largest lattice.</summary>
    public const int MaxGridSize = 64;

    /// <summary>Warps every image of <paramref name="input"/> into <paramref name="output"/> (same shape, different buffers).</summary>
    /// <param name="input">Images, any channel count.</param>
    /// <param name="output">Same shape, another buffer.</param>
    /// <param name="amplitudes">Per sample, the largest displacement in pixels (&gt;= 0).</param>
    /// <param name="gridSize">Nodes per axis, <see cref="MinGridSize"/>..<see cref="MaxGridSize"/>.</param>
    /// <param name="seed">The GPU stream of the field's nodes (<see cref="AugmentationRandom.StageSeed"/>).</param>
    /// <param name="border">What samples outside the image read.</param>
    /// <exception cref="ArgumentException">Shapes differ, buffers are shared, counts are wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The grid size or an amplitude is out of range (named with its value).</exception>
    public static void Apply(ImageBatch input, ImageBatch output, ReadOnlySpan<float> amplitudes, int gridSize, uint seed, Border border)
    {
        const string Op = "ElasticWarp";
        if (output.Shape != input.Shape)
            throw new ArgumentException($"{Op}: output must have the input's shape {input.Shape}; got {output.Shape}.", nameof(output));
        if (output.SharesBufferWith(input))
            throw new ArgumentException($"{Op} cannot run in place: input and output {input.Shape} share a buffer.", nameof(output));
        if (amplitudes.Length != input.N)
            throw new ArgumentException($"{Op}: {input.N} samples need {input.N} amplitudes; got {amplitudes.Length}.", nameof(amplitudes));
        if (gridSize < MinGridSize || gridSize > MaxGridSize)
            throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, $"{Op} grid size must be in [{MinGridSize}, {MaxGridSize}]; got {gridSize}.");
        foreach (float a in amplitudes)
            if (!(a >= 0) || !float.IsFinite(a))
                throw new ArgumentOutOfRangeException(nameof(amplitudes), a, $"{Op} amplitudes must be finite and >= 0; got {a}.");

        GpuContext context = input.Context;
        GpuBuffer amplitudeBuffer = context.Scratch("augment_elastic.amplitude", amplitudes.Length);
        amplitudeBuffer.Upload(amplitudes);
        context.Programs.Get("augment_elastic.comp")
            .Set("N", input.N).Set("C", input.C).Set("H", input.H).Set("W", input.W).Set("G", gridSize).Set("seed", seed)
            .Set("border", (int)border.Mode).Set("fill", border.Fill)
            .Bind(0, input.Buffer).Bind(1, output.Buffer).Bind(2, amplitudeBuffer)
            .DispatchLinear((long)input.N * input.H * input.W);
    }
}
