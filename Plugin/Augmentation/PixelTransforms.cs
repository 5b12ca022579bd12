using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// Local warping: each chosen image is resampled through a smooth random displacement field of at most
/// <see cref="Amplitude"/> pixels — a <see cref="GridSize"/> x <see cref="GridSize"/> lattice of random vectors,
/// bilinearly upsampled (<see cref="Engine.Augmentation.ElasticWarp"/>). Keeps size and channels.
/// </summary>
public sealed record ElasticWarpTransform : AugmentationTransform
{
    /// <param name="amplitude">Largest displacement in pixels, &gt;= 0 (0 is the identity).</param>
    /// <param name="gridSize">Lattice nodes per axis, 2..64 (small = gentle bends).</param>
    /// <param name="border">What pixels pulled in from outside the image show.</param>
    /// <param name="probability">Chance that an image is warped.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named with its value).</exception>
    public ElasticWarpTransform(double amplitude, int gridSize, Border border, double probability) : base(probability)
    {
        Amplitude = OptionChecks.NonNegative(amplitude, nameof(amplitude));
        GridSize = OptionChecks.InRange(gridSize, Engine.Augmentation.ElasticWarp.MinGridSize, Engine.Augmentation.ElasticWarp.MaxGridSize, nameof(gridSize));
        Border = border;
    }

    /// <summary>Largest displacement in pixels.</summary>
    public double Amplitude { get; }

    /// <summary>Lattice nodes per axis.</summary>
    public int GridSize { get; }

    /// <summary>What pixels pulled in from outside the image show.</summary>
    public Border Border { get; }

    internal override TensorShape OutputShape(TensorShape input) => input;
}

/// <summary>Additive Gaussian noise with standard deviation <see cref="Std"/>, drawn per element on the GPU, clipped to the pipeline's range.</summary>
public sealed record GaussianNoiseTransform : AugmentationTransform
{
    /// <param name="std">Standard deviation, &gt;= 0, in the images' value units.</param>
    /// <param name="probability">Chance that an image gets noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">The standard deviation is negative or not finite.</exception>
    public GaussianNoiseTransform(double std, double probability) : base(probability) =>
        Std = OptionChecks.NonNegative(std, nameof(std));

    /// <summary>Standard deviation of the noise.</summary>
    public double Std { get; }

    internal override TensorShape OutputShape(TensorShape input) => input;
}

/// <summary>
/// Cutout / random erasing (torchvision <c>RandomErasing</c>): <see cref="Holes"/> rectangles per chosen image, each
/// covering a fraction of the image area uniform in <see cref="Area"/> with aspect ratio (w/h) log-uniform in
/// <see cref="Ratio"/>, placed wholly inside the image at a random whole-pixel position and filled with
/// <see cref="Fill"/> in every channel. A hole whose drawn size does not fit after 10 tries is skipped.
/// </summary>
public sealed record CutoutTransform : AugmentationTransform
{
    /// <summary>Most rectangles per image.</summary>
    public const int MaxHoles = 16;

    /// <param name="holes">Rectangles per image, 1..16.</param>
    /// <param name="area">Area fraction range of each rectangle, within (0, 1].</param>
    /// <param name="ratio">Aspect ratio range, positive.</param>
    /// <param name="fill">Value of erased pixels.</param>
    /// <param name="probability">Chance that an image is erased.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named with its value).</exception>
    public CutoutTransform(int holes, (double Min, double Max) area, (double Min, double Max) ratio, float fill, double probability) : base(probability)
    {
        Holes = OptionChecks.InRange(holes, 1, MaxHoles, nameof(holes));
        Area = OptionChecks.Range(area, double.Epsilon, 1, nameof(area));
        Ratio = OptionChecks.Range(ratio, double.Epsilon, double.MaxValue, nameof(ratio));
        Fill = OptionChecks.Finite(fill, nameof(fill));
    }

    /// <summary>Rectangles per image.</summary>
    public int Holes { get; }

    /// <summary>Area fraction range of each rectangle.</summary>
    public (double Min, double Max) Area { get; }

    /// <summary>Aspect ratio (width / height) range.</summary>
    public (double Min, double Max) Ratio { get; }

    /// <summary>Value of erased pixels.</summary>
    public float Fill { get; }

    internal override TensorShape OutputShape(TensorShape input) => input;

    /// <summary>One rectangle of an image of the given size (empty when none fits).</summary>
    internal PixelRect DrawRect(ref SampleDraws draws, int height, int width)
    {
        double logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = draws.Uniform(Area.Min, Area.Max) * height * width;
            double aspect = Math.Exp(draws.Uniform(logMin, logMax));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            if (h >= 1 && w >= 1 && h <= height && w <= width)
                return new PixelRect(draws.Integer(0, width - w), draws.Integer(0, height - h), w, h);
        }
        return PixelRect.Empty;
    }
}
