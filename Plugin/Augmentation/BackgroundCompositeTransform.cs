using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// Where a <see cref="BackgroundCompositeTransform"/> finds backgrounds: any mix of random solid colours, random
/// two-colour linear gradients and random crops of given background images. Each image picks one enabled kind
/// uniformly. Immutable; the images tensor is borrowed (the caller keeps it alive and disposes it).
/// </summary>
public sealed record BackgroundSource
{
    /// <param name="solidColors">Allow one random colour (each channel uniform in [0, 1]).</param>
    /// <param name="gradients">Allow a linear ramp between two random colours in a random direction.</param>
    /// <param name="images">Background images [B,3,BH,BW] on the GPU (values like the foregrounds'); null for none.</param>
    /// <param name="imageCropScale">Area fraction range of the background crop, within (0, 1] (default (0.3, 1)).</param>
    /// <exception cref="ArgumentException">No kind is enabled or the images are not [B,3,H,W].</exception>
    /// <exception cref="ArgumentOutOfRangeException">The crop scale range is invalid (named with its value).</exception>
    public BackgroundSource(bool solidColors = true, bool gradients = true, Tensor? images = null, (double Min, double Max)? imageCropScale = null)
    {
        if (!solidColors && !gradients && images is null)
            throw new ArgumentException("A background source needs at least one of solid colours, gradients or images.", nameof(images));
        if (images is not null && (images.Shape.Rank != 4 || images.Shape.C != 3))
            throw new ArgumentException($"Background images must be RGB [B,3,H,W]; got {images.Shape}.", nameof(images));
        SolidColors = solidColors;
        Gradients = gradients;
        Images = images;
        ImageCropScale = OptionChecks.Range(imageCropScale ?? (0.3, 1.0), double.Epsilon, 1, nameof(imageCropScale));
    }

    /// <summary>Random solid colours are allowed.</summary>
    public bool SolidColors { get; }

    /// <summary>Random gradients are allowed.</summary>
    public bool Gradients { get; }

    /// <summary>Background images to crop from, or null.</summary>
    public Tensor? Images { get; }

    /// <summary>Area fraction range of background crops.</summary>
    public (double Min, double Max) ImageCropScale { get; }

    /// <summary>
    /// One image's background. Draw order: kind; then colour 0 (3), colour 1 (3), direction angle for gradients,
    /// or image index, crop area, x, y for images.
    /// </summary>
    internal BackgroundSample Draw(ref SampleDraws draws, int height, int width)
    {
        Span<BackgroundKind> kinds = stackalloc BackgroundKind[3];
        int count = 0;
        if (SolidColors) kinds[count++] = BackgroundKind.Solid;
        if (Gradients) kinds[count++] = BackgroundKind.Gradient;
        if (Images is not null) kinds[count++] = BackgroundKind.Image;
        BackgroundKind kind = kinds[draws.Integer(0, count - 1)];
        if (kind != BackgroundKind.Image)
        {
            var c0 = ((float)draws.Uniform(), (float)draws.Uniform(), (float)draws.Uniform());
            if (kind == BackgroundKind.Solid) return new BackgroundSample(kind, c0);
            var c1 = ((float)draws.Uniform(), (float)draws.Uniform(), (float)draws.Uniform());
            double angle = draws.Uniform(0, 2 * Math.PI);
            return new BackgroundSample(kind, c0, c1, ((float)Math.Cos(angle), (float)Math.Sin(angle)));
        }
        TensorShape shape = Images!.Shape;
        int index = draws.Integer(0, shape.N - 1);
        // A window with the output's aspect ratio covering the drawn fraction of the background (clamped to fit).
        double area = draws.Uniform(ImageCropScale.Min, ImageCropScale.Max) * shape.H * shape.W;
        double aspect = (double)width / height;
        double cropW = Math.Sqrt(area * aspect), cropH = cropW / aspect;
        double shrink = Math.Min(1, Math.Min(shape.W / cropW, shape.H / cropH));
        cropW *= shrink;
        cropH *= shrink;
        double x = draws.Uniform(0, shape.W - cropW), y = draws.Uniform(0, shape.H - cropH);
        return new BackgroundSample(kind, default, default, default, index, ((float)x, (float)y, (float)cropW, (float)cropH));
    }
}

/// <summary>
/// Pastes cut-outs with an alpha channel onto random backgrounds (<see cref="AlphaComposite"/>): RGBA images
/// [N,4,H,W] become RGB [N,3,H,W], out = a fg + (1 - a) bg, so the object shows where alpha = 1 and the
/// background where alpha = 0. Geometric transforms placed before it move the cut-out (and its alpha) over
/// the background; colour transforms must come after it. Always applies.
/// </summary>
public sealed record BackgroundCompositeTransform : AugmentationTransform
{
    /// <param name="source">The kinds of background to draw from.</param>
    public BackgroundCompositeTransform(BackgroundSource source) : base(1)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
    }

    /// <summary>The kinds of background to draw from.</summary>
    public BackgroundSource Source { get; }

    internal override TensorShape OutputShape(TensorShape input)
    {
        RequireChannels(input, 4, "Pass RGBA images, or RGB images with a separate [N,1,H,W] alpha mask.");
        return new TensorShape(input.N, 3, input.H, input.W);
    }
}
