namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// One image's colour transform, y = M x + o + K * mean * (1, 1, 1) for every RGB pixel x, where mean is the
/// image's mean grey level (BT.601 luma, w = (0.299, 0.587, 0.114)). Brightness, contrast, saturation, colour
/// shifts and PCA colour augmentation are all of this form, so one kernel (<c>augment_color.comp</c>) runs them.
/// </summary>
public readonly record struct ColorMatrix(
    float M00, float M01, float M02,
    float M10, float M11, float M12,
    float M20, float M21, float M22,
    float OffsetR, float OffsetG, float OffsetB,
    float MeanWeight)
{
    /// <summary>Luma weights of BT.601 (they sum to 1, so a grey pixel's luma is its value).</summary>
    public const float GrayR = 0.299f, GrayG = 0.587f, GrayB = 0.114f;

    /// <summary>y = x.</summary>
    public static ColorMatrix Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0);

    /// <summary>
    /// torchvision's brightness, contrast and saturation, applied in that order without clipping in between:
    /// <code>
    ///   x1 = b x                                   brightness
    ///   x2 = c x1 + (1 - c) mean(x1) = c b x + (1 - c) b m     contrast (m: the input's mean grey; mean(x1) = b m)
    ///   x3 = s x2 + (1 - s) gray(x2) 1             saturation, gray(v) = w . v
    ///      = c b (s I + (1 - s) 1 w^T) x + (1 - c) b m 1        (w . 1 = 1)
    /// </code>
    /// so M = c b (s I + (1 - s) 1 w^T), o = 0, K = (1 - c) b. Factor 1 leaves an aspect unchanged; s = 0 gives grey.
    /// </summary>
    public static ColorMatrix Jitter(double brightness, double contrast, double saturation)
    {
        double cb = contrast * brightness, s = saturation, t = 1 - saturation;
        float Entry(bool diagonal, double weight) => (float)(cb * ((diagonal ? s : 0) + t * weight));
        return new(
            Entry(true, GrayR), Entry(false, GrayG), Entry(false, GrayB),
            Entry(false, GrayR), Entry(true, GrayG), Entry(false, GrayB),
            Entry(false, GrayR), Entry(false, GrayG), Entry(true, GrayB),
            0, 0, 0, (float)((1 - contrast) * brightness));
    }

    /// <summary>Adds a constant per channel: y = x + (r, g, b) (colour shifting; PCA colour augmentation's offset).</summary>
    public static ColorMatrix Shift(double r, double g, double b) => Identity with { OffsetR = (float)r, OffsetG = (float)g, OffsetB = (float)b };

    /// <summary>This transform followed by a constant shift: y = (this)(x) + (r, g, b).</summary>
    public ColorMatrix ThenShift(double r, double g, double b) =>
        this with { OffsetR = OffsetR + (float)r, OffsetG = OffsetG + (float)g, OffsetB = OffsetB + (float)b };

    /// <summary>The kernel's 16 floats: M row-major, offset, K, three unused.</summary>
    internal void WriteTo(Span<float> destination)
    {
        destination[0] = M00; destination[1] = M01; destination[2] = M02;
        destination[3] = M10; destination[4] = M11; destination[5] = M12;
        destination[6] = M20; destination[7] = M21; destination[8] = M22;
        destination[9] = OffsetR; destination[10] = OffsetG; destination[11] = OffsetB;
        destination[12] = MeanWeight; destination[13] = 0; destination[14] = 0; destination[15] = 0;
    }
}
