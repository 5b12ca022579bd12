namespace VisionPlugin.Engine.Augmentation;

/// <summary>A rectangle of whole pixels: columns [X, X + Width), rows [Y, Y + Height). Empty when a side is 0.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>No pixels.</summary>
    public static PixelRect Empty => default;

    /// <summary>Pixels covered (Width * Height).</summary>
    public int Area => Width * Height;
}

/// <summary>
/// Cutout / random erasing (DeVries and Taylor 2017; Zhong et al. 2017) with <c>augment_cutout.comp</c>: the
/// pixels inside any of an image's rectangles take the fill value in every channel, the rest are copied.
/// </summary>
public static class Cutout
{
    /// <summary>Fills <paramref name="rectsPerSample"/> rectangles per image (<paramref name="rects"/>[n * K + k]).</summary>
    /// <param name="input">Images, any channel count.</param>
    /// <param name="output">Same shape; may be the input itself.</param>
    /// <param name="rects">N * K rectangles (parts outside the image are ignored; empty ones erase nothing).</param>
    /// <param name="rectsPerSample">K &gt;= 1.</param>
    /// <param name="fill">The value erased pixels take.</param>
    /// <exception cref="ArgumentException">Shapes differ or the count is wrong.</exception>
    public static void Apply(ImageBatch input, ImageBatch output, ReadOnlySpan<PixelRect> rects, int rectsPerSample, float fill)
    {
        const string Op = "Cutout";
        ArgumentOutOfRangeException.ThrowIfLessThan(rectsPerSample, 1);
        if (output.Shape != input.Shape)
            throw new ArgumentException($"{Op}: output must have the input's shape {input.Shape}; got {output.Shape}.", nameof(output));
        if (rects.Length != input.N * rectsPerSample)
            throw new ArgumentException($"{Op}: {input.N} images x {rectsPerSample} rectangles need {input.N * rectsPerSample}; got {rects.Length}.", nameof(rects));

        var values = new float[rects.Length * 4];
        for (int i = 0; i < rects.Length; i++)
        {
            PixelRect r = rects[i];
            values[4 * i] = r.X;
            values[4 * i + 1] = r.Y;
            values[4 * i + 2] = r.Width > 0 && r.Height > 0 ? r.X + r.Width : r.X;
            values[4 * i + 3] = r.Width > 0 && r.Height > 0 ? r.Y + r.Height : r.Y;
        }
        GpuContext context = input.Context;
        GpuBuffer rectBuffer = context.Scratch("augment_cutout.rects", values.Length);
        rectBuffer.Upload<float>(values);
        context.Programs.Get("augment_cutout.comp")
            .Set("N", input.N).Set("C", input.C).Set("H", input.H).Set("W", input.W).Set("K", rectsPerSample).Set("fill", fill)
            .Bind(0, input.Buffer).Bind(1, output.Buffer).Bind(2, rectBuffer)
            .DispatchLinear((long)input.N * input.H * input.W);
    }
}
