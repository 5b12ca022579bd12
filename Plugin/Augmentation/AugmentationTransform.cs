using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// One step of an <see cref="AugmentationPipeline"/>: an immutable description of a random transform. Its
/// random parameters are drawn per image from the pipeline's (seed, step, stage, sample) stream
/// (<see cref="AugmentationRandom"/>); the first draw of every image decides, with <see cref="Probability"/>,
/// whether the transform applies to that image at all.
/// </summary>
public abstract record AugmentationTransform
{
    /// <summary>Validates and stores the probability.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    private protected AugmentationTransform(double probability) =>
        Probability = OptionChecks.Probability(probability, nameof(probability));

    /// <summary>The chance that an image is transformed (the rest pass through unchanged).</summary>
    public double Probability { get; }

    /// <summary>The batch shape this transform produces from <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The transform cannot take that shape (the message says why).</exception>
    internal abstract TensorShape OutputShape(TensorShape input);

    /// <summary>Throws unless the batch has <paramref name="channels"/> channels.</summary>
    private protected void RequireChannels(TensorShape input, int channels, string hint)
    {
        if (input.C != channels)
            throw new ArgumentException($"{GetType().Name} needs {channels}-channel images; got {input}. {hint}");
    }
}

/// <summary>
/// A transform that moves pixels by an affine map: the pipeline composes consecutive geometric transforms into one
/// map per image and resamples once (<see cref="AffineWarp"/>), so a crop, a flip and a rotation cost one pass
/// and blur once, and regions a rotation brings in from outside an intermediate crop show real image content.
/// </summary>
public abstract record GeometricTransform : AugmentationTransform
{
    /// <summary>Validates and stores the probability.</summary>
    private protected GeometricTransform(double probability) : base(probability) { }

    /// <summary>The (height, width) images leave with; the input size when the transform keeps it.</summary>
    internal abstract (int Height, int Width) OutputSize(int height, int width);

    /// <summary>
    /// What the warp reads outside the input image; null when this transform never looks outside it. Within one
    /// composed run all non-null borders must agree (a differing one starts a new resampling pass).
    /// </summary>
    internal virtual Border? SamplingBorder => null;

    /// <summary>
    /// One image's map from output pixel-centre coordinates to input ones, drawn from <paramref name="draws"/>
    /// (called only when the image was chosen with <see cref="AugmentationTransform.Probability"/>).
    /// </summary>
    internal abstract AffineMatrix InverseMap(ref SampleDraws draws, int height, int width);

    internal override TensorShape OutputShape(TensorShape input)
    {
        var (height, width) = OutputSize(input.H, input.W);
        return new TensorShape(input.N, input.C, height, width);
    }
}

/// <summary>A per-image affine colour transform of RGB images (<see cref="ColorAdjust"/>): brightness, contrast, saturation, shifts.</summary>
public abstract record ColorTransform : AugmentationTransform
{
    /// <summary>Validates and stores the probability.</summary>
    private protected ColorTransform(double probability) : base(probability) { }

    /// <summary>One image's colour matrix (called only when the image was chosen).</summary>
    internal abstract ColorMatrix Draw(ref SampleDraws draws);

    internal override TensorShape OutputShape(TensorShape input)
    {
        RequireChannels(input, 3, "Colour transforms act on RGB; put them after a background composite.");
        return input;
    }
}
