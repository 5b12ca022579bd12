using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>Which way a <see cref="FlipTransform"/> mirrors.</summary>
public enum FlipAxis
{
    /// <summary>Left-right mirror (x -> W - x): the course notes' "mirroring".</summary>
    Horizontal,

    /// <summary>Top-bottom mirror (y -> H - y).</summary>
    Vertical,
}

/// <summary>Mirrors an image with the given probability; pixel i lands exactly on pixel W-1-i (no interpolation).</summary>
public sealed record FlipTransform : GeometricTransform
{
    /// <param name="axis">Left-right or top-bottom.</param>
    /// <param name="probability">Chance that an image is mirrored, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public FlipTransform(FlipAxis axis, double probability) : base(probability) => Axis = axis;

    /// <summary>Left-right or top-bottom.</summary>
    public FlipAxis Axis { get; }

    internal override (int Height, int Width) OutputSize(int height, int width) => (height, width);

    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width) =>
        Axis == FlipAxis.Horizontal ? AffineMatrix.FlipX(width) : AffineMatrix.FlipY(height);
}

/// <summary>
/// torchvision's <c>RandomCrop</c>: a <see cref="Height"/> x <see cref="Width"/> window at a uniformly random whole-pixel
/// offset of the image padded by <see cref="Padding"/> pixels on every side (the padding reads <see cref="Border"/>).
/// Whole-pixel offsets copy pixels exactly. Always applies.
/// </summary>
public sealed record RandomCropTransform : GeometricTransform
{
    /// <param name="height">Crop height, at least 1.</param>
    /// <param name="width">Crop width, at least 1.</param>
    /// <param name="padding">Pixels of border added on each side before cropping, at least 0.</param>
    /// <param name="border">What the padding shows.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the padding negative.</exception>
    public RandomCropTransform(int height, int width, int padding, Border border) : base(1)
    {
        Height = OptionChecks.AtLeast(height, 1, nameof(height));
        Width = OptionChecks.AtLeast(width, 1, nameof(width));
        Padding = OptionChecks.AtLeast(padding, 0, nameof(padding));
        Border = border;
    }

    /// <summary>Crop height.</summary>
    public int Height { get; }

    /// <summary>Crop width.</summary>
    public int Width { get; }

    /// <summary>Border pixels added on each side before the window is placed.</summary>
    public int Padding { get; }

    /// <summary>What the padding shows.</summary>
    public Border Border { get; }

    internal override Border? SamplingBorder => Padding > 0 ? Border : null;

    internal override (int Height, int Width) OutputSize(int height, int width)
    {
        if (Height > height + 2 * Padding || Width > width + 2 * Padding)
            throw new ArgumentException($"RandomCrop {Height}x{Width} does not fit a {height}x{width} image with padding {Padding}.");
        return (Height, Width);
    }

    // Window origin uniform over [-P, W + P - w] x [-P, H + P - h]; q = p + origin.
    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width)
    {
        int left = draws.Integer(-Padding, width + Padding - Width);
        int top = draws.Integer(-Padding, height + Padding - Height);
        return AffineMatrix.Translation(left, top);
    }
}

/// <summary>The centred <see cref="Height"/> x <see cref="Width"/> window (offset rounded down to whole pixels; edge pixels repeat if it is larger than the image).</summary>
public sealed record CenterCropTransform : GeometricTransform
{
    /// <param name="height">Crop height, at least 1.</param>
    /// <param name="width">Crop width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public CenterCropTransform(int height, int width) : base(1)
    {
        Height = OptionChecks.AtLeast(height, 1, nameof(height));
        Width = OptionChecks.AtLeast(width, 1, nameof(width));
    }

    /// <summary>Crop height.</summary>
    public int Height { get; }

    /// <summary>Crop width.</summary>
    public int Width { get; }

    internal override (int Height, int Width) OutputSize(int height, int width) => (Height, Width);

    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width) =>
        AffineMatrix.Translation(Math.Floor((width - Width) / 2.0), Math.Floor((height - Height) / 2.0));
}

/// <summary>Resizes the whole image to <see cref="Height"/> x <see cref="Width"/> (bilinear, half-pixel centres, area-averaged taps when shrinking).</summary>
public sealed record ResizeTransform : GeometricTransform
{
    /// <param name="height">Output height, at least 1.</param>
    /// <param name="width">Output width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public ResizeTransform(int height, int width) : base(1)
    {
        Height = OptionChecks.AtLeast(height, 1, nameof(height));
        Width = OptionChecks.AtLeast(width, 1, nameof(width));
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    internal override (int Height, int Width) OutputSize(int height, int width) => (Height, Width);

    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width) =>
        AffineMatrix.Scaling((double)width / Width, (double)height / Height);
}

/// <summary>
/// torchvision's <c>RandomResizedCrop</c> (Inception-style): a window covering a random fraction of the image area
/// in <see cref="Scale"/> with aspect ratio w/h log-uniform in <see cref="Ratio"/>, resized to
/// <see cref="Height"/> x <see cref="Width"/>. Up to 10 tries find a whole-pixel window that fits; otherwise the
/// centred window with the ratio clamped to the range is used. Always applies.
/// </summary>
public sealed record RandomResizedCropTransform : GeometricTransform
{
    /// <param name="height">Output height, at least 1.</param>
    /// <param name="width">Output width, at least 1.</param>
    /// <param name="scale">Window area as a fraction of the image, within (0, 1].</param>
    /// <param name="ratio">Window aspect ratio (width / height) range, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, the scale or the ratio range is invalid (named with its value).</exception>
    public RandomResizedCropTransform(int height, int width, (double Min, double Max) scale, (double Min, double Max) ratio) : base(1)
    {
        Height = OptionChecks.AtLeast(height, 1, nameof(height));
        Width = OptionChecks.AtLeast(width, 1, nameof(width));
        Scale = OptionChecks.Range(scale, double.Epsilon, 1, nameof(scale));
        Ratio = OptionChecks.Range(ratio, double.Epsilon, double.MaxValue, nameof(ratio));
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Area fraction range of the window.</summary>
    public (double Min, double Max) Scale { get; }

    /// <summary>Aspect ratio (width / height) range of the window.</summary>
    public (double Min, double Max) Ratio { get; }

    internal override (int Height, int Width) OutputSize(int height, int width) => (Height, Width);

    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width)
    {
        var (x, y, w, h) = Window(ref draws, height, width);
        return AffineMatrix.CropToRectangle(x, y, w, h, Width, Height);
    }

    /// <summary>The window (x, y, w, h) in whole pixels, torchvision's <c>get_params</c> on the counter stream.</summary>
    internal (int X, int Y, int W, int H) Window(ref SampleDraws draws, int height, int width)
    {
        double area = (double)height * width;
        double logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * draws.Uniform(Scale.Min, Scale.Max);
            double aspect = Math.Exp(draws.Uniform(logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height)
                return (draws.Integer(0, width - w), draws.Integer(0, height - h), w, h);
        }
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < Ratio.Min) ch = Math.Max(1, (int)Math.Round(cw / Ratio.Min));
        else if (inRatio > Ratio.Max) cw = Math.Max(1, (int)Math.Round(ch * Ratio.Max));
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }
}

/// <summary>
/// torchvision's <c>RandomAffine</c>: rotation, translation, scale and shear about the image centre c = (W/2, H/2),
/// each drawn uniformly from its range. The forward map, source to output, is
/// <c>p' = c + t + R(angle) Sh(shearX, shearY) S(scale) (p - c)</c>; the warp samples through its inverse.
/// Angles are degrees, positive = counter-clockwise on screen; translation ranges are fractions of W and H.
/// </summary>
public sealed record RandomAffineTransform : GeometricTransform
{
    /// <param name="degrees">Rotation range, e.g. (-30, 30); (90, 90) is an exact quarter turn.</param>
    /// <param name="translate">Largest shift as a fraction of (W, H), each in [0, 1]; the shift is uniform in [-f W, f W].</param>
    /// <param name="scale">Zoom range, positive (1 keeps the size).</param>
    /// <param name="shearX">Horizontal shear angle range in degrees, within (-90, 90).</param>
    /// <param name="shearY">Vertical shear angle range in degrees, within (-90, 90).</param>
    /// <param name="border">What regions brought in from outside the image show.</param>
    /// <param name="probability">Chance that an image is transformed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A range is invalid (named with its value).</exception>
    public RandomAffineTransform((double Min, double Max) degrees, (double X, double Y) translate, (double Min, double Max) scale,
        (double Min, double Max) shearX, (double Min, double Max) shearY, Border border, double probability) : base(probability)
    {
        Degrees = OptionChecks.Range(degrees, -3600, 3600, nameof(degrees));
        OptionChecks.Range((translate.X, translate.X), 0, 1, nameof(translate));
        OptionChecks.Range((translate.Y, translate.Y), 0, 1, nameof(translate));
        Translate = translate;
        Scale = OptionChecks.Range(scale, 1e-3, 1e3, nameof(scale));
        ShearX = OptionChecks.Range(shearX, -89, 89, nameof(shearX));
        ShearY = OptionChecks.Range(shearY, -89, 89, nameof(shearY));
        Border = border;
    }

    /// <summary>Rotation range in degrees.</summary>
    public (double Min, double Max) Degrees { get; }

    /// <summary>Largest shift as fractions of width and height.</summary>
    public (double X, double Y) Translate { get; }

    /// <summary>Zoom range.</summary>
    public (double Min, double Max) Scale { get; }

    /// <summary>Horizontal shear range in degrees.</summary>
    public (double Min, double Max) ShearX { get; }

    /// <summary>Vertical shear range in degrees.</summary>
    public (double Min, double Max) ShearY { get; }

    /// <summary>What regions brought in from outside the image show.</summary>
    public Border Border { get; }

    internal override Border? SamplingBorder => Border;

    internal override (int Height, int Width) OutputSize(int height, int width) => (height, width);

    // Draw order: angle, tx, ty, scale, shear x, shear y.
    internal override AffineMatrix InverseMap(ref SampleDraws draws, int height, int width)
    {
        double angle = draws.Uniform(Degrees.Min, Degrees.Max);
        double tx = draws.Uniform(-Translate.X, Translate.X) * width;
        double ty = draws.Uniform(-Translate.Y, Translate.Y) * height;
        double zoom = draws.Uniform(Scale.Min, Scale.Max);
        double shearX = draws.Uniform(ShearX.Min, ShearX.Max);
        double shearY = draws.Uniform(ShearY.Min, ShearY.Max);
        AffineMatrix linear = AffineMatrix.Rotation(angle) * AffineMatrix.Shear(shearX, shearY) * AffineMatrix.Scaling(zoom, zoom);
        AffineMatrix forward = AffineMatrix.Translation(tx, ty) * linear.About(width / 2.0, height / 2.0);
        return forward.Inverse();
    }
}
