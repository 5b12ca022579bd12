namespace VisionPlugin.Engine.Augmentation;

/// <summary>The kinds of background a cut-out can be pasted onto.</summary>
public enum BackgroundKind
{
    /// <summary>One colour.</summary>
    Solid = 0,

    /// <summary>A linear ramp between two colours along a direction.</summary>
    Gradient = 1,

    /// <summary>A (resized) crop of one of the given background images.</summary>
    Image = 2,
}

/// <summary>
/// One image's background: a <see cref="BackgroundKind"/>, colours (RGB, solid uses <see cref="Color0"/>), the
/// gradient direction (t = clamp(0.5 + (p/size - 0.5) . direction, 0, 1) blends Color0 to Color1), and for
/// images the background index and the source rectangle the output frame maps onto (pixel-centre coordinates).
/// </summary>
public readonly record struct BackgroundSample(
    BackgroundKind Kind,
    (float R, float G, float B) Color0,
    (float R, float G, float B) Color1 = default,
    (float X, float Y) Direction = default,
    int ImageIndex = 0,
    (float X, float Y, float Width, float Height) Crop = default)
{
    /// <summary>A plain colour.</summary>
    public static BackgroundSample Solid(float r, float g, float b) => new(BackgroundKind.Solid, (r, g, b));
}

/// <summary>
/// Pastes RGBA cut-outs onto backgrounds (<c>augment_composite.comp</c>): out = a fg + (1 - a) bg, a = clamp(alpha, 0, 1)
/// (straight, not premultiplied, alpha), so the foreground shows where alpha = 1 and the background where alpha = 0.
/// Background images are sampled bilinearly with edge clamping through each sample's crop rectangle.
/// </summary>
public static class AlphaComposite
{
    private const int ParamsPerSample = 16;

    /// <summary>Composites <paramref name="rgba"/> [N,4,H,W] onto the backgrounds into <paramref name="output"/> [N,3,H,W].</summary>
    /// <param name="rgba">Foregrounds: R, G, B and alpha planes.</param>
    /// <param name="output">RGB results; a different buffer.</param>
    /// <param name="backgrounds">One background per image.</param>
    /// <param name="backgroundImages">[B,3,BH,BW] images that <see cref="BackgroundKind.Image"/> samples crop; null when none is used.</param>
    /// <exception cref="ArgumentException">Shapes, counts or indices do not fit; the message says which.</exception>
    public static void Apply(ImageBatch rgba, ImageBatch output, ReadOnlySpan<BackgroundSample> backgrounds, ImageBatch? backgroundImages)
    {
        const string Op = "AlphaComposite";
        if (rgba.C != 4)
            throw new ArgumentException($"{Op} needs RGBA foregrounds [N,4,H,W]; got {rgba.Shape}.", nameof(rgba));
        if (output.Shape != new TensorShape(rgba.N, 3, rgba.H, rgba.W))
            throw new ArgumentException($"{Op}: output must be [{rgba.N},3,{rgba.H},{rgba.W}] for foregrounds {rgba.Shape}; got {output.Shape}.", nameof(output));
        if (output.SharesBufferWith(rgba))
            throw new ArgumentException($"{Op} cannot run in place: foregrounds and output share a buffer.", nameof(output));
        if (backgrounds.Length != rgba.N)
            throw new ArgumentException($"{Op}: {rgba.N} images need {rgba.N} backgrounds; got {backgrounds.Length}.", nameof(backgrounds));
        if (backgroundImages is { } images && images.C != 3)
            throw new ArgumentException($"{Op}: background images must be RGB [B,3,H,W]; got {images.Shape}.", nameof(backgroundImages));

        var parameters = new float[rgba.N * ParamsPerSample];
        for (int n = 0; n < rgba.N; n++)
        {
            BackgroundSample b = backgrounds[n];
            if (b.Kind == BackgroundKind.Image && (backgroundImages is null || (uint)b.ImageIndex >= (uint)backgroundImages.Value.N))
                throw new ArgumentException($"{Op}: sample {n} uses background image {b.ImageIndex}; there are {backgroundImages?.N ?? 0}.", nameof(backgrounds));
            Span<float> p = parameters.AsSpan(n * ParamsPerSample, ParamsPerSample);
            p[0] = (int)b.Kind;
            p[1] = b.Color0.R; p[2] = b.Color0.G; p[3] = b.Color0.B;
            p[4] = b.Color1.R; p[5] = b.Color1.G; p[6] = b.Color1.B;
            p[7] = b.Direction.X; p[8] = b.Direction.Y;
            p[9] = b.ImageIndex;
            // Output pixel centre p maps to crop origin + p * (crop size / output size).
            p[10] = b.Crop.X; p[11] = b.Crop.Y;
            p[12] = b.Crop.Width / rgba.W; p[13] = b.Crop.Height / rgba.H;
        }
        GpuContext context = rgba.Context;
        GpuBuffer paramBuffer = context.Scratch("augment_composite.params", parameters.Length);
        paramBuffer.Upload<float>(parameters);
        // The kernel always declares binding 3; without background images it is bound to the (unread) parameters.
        GpuBuffer imageBuffer = backgroundImages?.Buffer ?? paramBuffer;
        context.Programs.Get("augment_composite.comp")
            .Set("N", rgba.N).Set("H", rgba.H).Set("W", rgba.W)
            .Set("BH", backgroundImages?.H ?? 1).Set("BW", backgroundImages?.W ?? 1)
            .Bind(0, rgba.Buffer).Bind(1, output.Buffer).Bind(2, paramBuffer).Bind(3, imageBuffer)
            .DispatchLinear((long)rgba.N * rgba.H * rgba.W);
    }
}
