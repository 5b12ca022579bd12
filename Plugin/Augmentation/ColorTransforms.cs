using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// torchvision's <c>ColorJitter</c> without hue: brightness, contrast and saturation factors drawn uniformly from
/// their ranges and applied in that order (<see cref="ColorMatrix.Jitter"/>): brightness scales every value,
/// contrast blends towards the image's mean grey (keeping that mean), saturation blends towards each pixel's
/// grey (0 = greyscale). A factor of 1 leaves its aspect alone.
/// </summary>
public sealed record ColorJitterTransform : ColorTransform
{
    /// <param name="brightness">Brightness factor range, within [0, 100].</param>
    /// <param name="contrast">Contrast factor range, within [0, 100].</param>
    /// <param name="saturation">Saturation factor range, within [0, 100].</param>
    /// <param name="probability">Chance that an image is jittered.</param>
    /// <exception cref="ArgumentOutOfRangeException">A range is invalid (named with its value).</exception>
    public ColorJitterTransform((double Min, double Max) brightness, (double Min, double Max) contrast, (double Min, double Max) saturation, double probability)
        : base(probability)
    {
        Brightness = OptionChecks.Range(brightness, 0, 100, nameof(brightness));
        Contrast = OptionChecks.Range(contrast, 0, 100, nameof(contrast));
        Saturation = OptionChecks.Range(saturation, 0, 100, nameof(saturation));
    }

    /// <summary>torchvision's amounts: each factor uniform in [max(0, 1 - amount), 1 + amount].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative or not finite (named with its value).</exception>
    public static ColorJitterTransform FromAmounts(double brightness, double contrast, double saturation, double probability) =>
        new(Around(brightness, nameof(brightness)), Around(contrast, nameof(contrast)), Around(saturation, nameof(saturation)), probability);

    /// <summary>Brightness factor range.</summary>
    public (double Min, double Max) Brightness { get; }

    /// <summary>Contrast factor range.</summary>
    public (double Min, double Max) Contrast { get; }

    /// <summary>Saturation factor range.</summary>
    public (double Min, double Max) Saturation { get; }

    // Draw order: brightness, contrast, saturation.
    internal override ColorMatrix Draw(ref SampleDraws draws)
    {
        double b = draws.Uniform(Brightness.Min, Brightness.Max);
        double c = draws.Uniform(Contrast.Min, Contrast.Max);
        double s = draws.Uniform(Saturation.Min, Saturation.Max);
        return ColorMatrix.Jitter(b, c, s);
    }

    private static (double, double) Around(double amount, string name)
    {
        OptionChecks.NonNegative(amount, name);
        return (Math.Max(0, 1 - amount), 1 + amount);
    }
}

/// <summary>
/// Colour shifting (the course notes' "+/-20 per channel"): each channel of a chosen image gets its own constant,
/// uniform in [-<see cref="MaxShift"/>, +<see cref="MaxShift"/>] (in the images' value units: 20/255 ~ 0.08 for [0,1]).
/// </summary>
public sealed record ColorShiftTransform : ColorTransform
{
    /// <param name="maxShift">Largest shift per channel, &gt;= 0.</param>
    /// <param name="probability">Chance that an image is shifted.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shift is negative or not finite.</exception>
    public ColorShiftTransform(double maxShift, double probability) : base(probability) =>
        MaxShift = OptionChecks.NonNegative(maxShift, nameof(maxShift));

    /// <summary>Largest shift per channel.</summary>
    public double MaxShift { get; }

    // Draw order: r, g, b.
    internal override ColorMatrix Draw(ref SampleDraws draws)
    {
        double r = draws.Uniform(-MaxShift, MaxShift), g = draws.Uniform(-MaxShift, MaxShift), b = draws.Uniform(-MaxShift, MaxShift);
        return ColorMatrix.Shift(r, g, b);
    }
}

/// <summary>
/// AlexNet's PCA colour augmentation ("fancy PCA", Krizhevsky et al. 2012): every pixel of a chosen image gets the
/// same offset along the principal components of RGB colour, <c>[p1 p2 p3] [a1 l1, a2 l2, a3 l3]^T</c> with
/// eigenvectors p, eigenvalues l of <see cref="Basis"/> and a_i ~ N(0, <see cref="AlphaStd"/>) drawn once per image
/// — colours move a lot along directions the data set varies in and little elsewhere.
/// </summary>
public sealed record PcaColorTransform : ColorTransform
{
    /// <param name="basis">Eigenvectors and eigenvalues of the RGB covariance (computed from data or given).</param>
    /// <param name="alphaStd">Standard deviation of the coefficients, &gt;= 0 (AlexNet: 0.1).</param>
    /// <param name="probability">Chance that an image is shifted.</param>
    /// <exception cref="ArgumentOutOfRangeException">The standard deviation is negative or not finite.</exception>
    public PcaColorTransform(PcaColorBasis basis, double alphaStd, double probability) : base(probability)
    {
        ArgumentNullException.ThrowIfNull(basis);
        Basis = basis;
        AlphaStd = OptionChecks.NonNegative(alphaStd, nameof(alphaStd));
    }

    /// <summary>Principal components of RGB colour.</summary>
    public PcaColorBasis Basis { get; }

    /// <summary>Standard deviation of the per-image coefficients.</summary>
    public double AlphaStd { get; }

    // Draw order: a1, a2, a3 (two uniforms each, Box-Muller).
    internal override ColorMatrix Draw(ref SampleDraws draws)
    {
        double a1 = AlphaStd * draws.Normal(), a2 = AlphaStd * draws.Normal(), a3 = AlphaStd * draws.Normal();
        var (r, g, b) = Basis.Offset(a1, a2, a3);
        return ColorMatrix.Shift(r, g, b);
    }
}
