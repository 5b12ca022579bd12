using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

// The fluent builder methods: each returns a new pipeline with one more transform (see the transform records
// for the maths). Bad options throw ArgumentOutOfRangeException naming the parameter and its value.
public sealed partial class AugmentationPipeline
{
    /// <summary>Adds a left-right mirror (<see cref="FlipTransform"/>).</summary>
    /// <param name="probability">Chance per image, in [0, 1].</param>
    public AugmentationPipeline FlipHorizontal(double probability = 0.5) => Then(new FlipTransform(FlipAxis.Horizontal, probability));

    /// <summary>Adds a top-bottom mirror (<see cref="FlipTransform"/>).</summary>
    /// <param name="probability">Chance per image, in [0, 1].</param>
    public AugmentationPipeline FlipVertical(double probability = 0.5) => Then(new FlipTransform(FlipAxis.Vertical, probability));

    /// <summary>Adds a random whole-pixel crop (<see cref="RandomCropTransform"/>).</summary>
    /// <param name="height">Crop height.</param>
    /// <param name="width">Crop width.</param>
    /// <param name="padding">Border pixels added on each side first.</param>
    /// <param name="border">What the padding shows (default constant 0).</param>
    public AugmentationPipeline RandomCrop(int height, int width, int padding = 0, Border? border = null) =>
        Then(new RandomCropTransform(height, width, padding, border ?? Border.Zero));

    /// <summary>Adds the centred crop (<see cref="CenterCropTransform"/>).</summary>
    /// <param name="height">Crop height.</param>
    /// <param name="width">Crop width.</param>
    public AugmentationPipeline CenterCrop(int height, int width) => Then(new CenterCropTransform(height, width));

    /// <summary>Adds a resize of the whole image (<see cref="ResizeTransform"/>).</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    public AugmentationPipeline Resize(int height, int width) => Then(new ResizeTransform(height, width));

    /// <summary>Adds torchvision's random resized crop (<see cref="RandomResizedCropTransform"/>).</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <param name="scale">Area fraction range (default (0.08, 1)).</param>
    /// <param name="ratio">Aspect ratio range (default (3/4, 4/3)).</param>
    public AugmentationPipeline RandomResizedCrop(int height, int width, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null) =>
        Then(new RandomResizedCropTransform(height, width, scale ?? (0.08, 1.0), ratio ?? (3.0 / 4.0, 4.0 / 3.0)));

    /// <summary>Adds a rotation by an angle uniform in [-<paramref name="maxDegrees"/>, <paramref name="maxDegrees"/>] about the centre.</summary>
    /// <param name="maxDegrees">Largest angle in degrees, &gt;= 0.</param>
    /// <param name="border">What corners brought in show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Rotate(double maxDegrees, Border? border = null, double probability = 1) =>
        Affine(degrees: Symmetric(maxDegrees, nameof(maxDegrees)), border: border, probability: probability);

    /// <summary>Adds a horizontal shear by an angle uniform in [-<paramref name="maxDegrees"/>, <paramref name="maxDegrees"/>].</summary>
    /// <param name="maxDegrees">Largest shear angle in degrees, in [0, 89].</param>
    /// <param name="border">What regions brought in show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Shear(double maxDegrees, Border? border = null, double probability = 1) =>
        Affine(shearX: Symmetric(maxDegrees, nameof(maxDegrees)), border: border, probability: probability);

    /// <summary>Adds a zoom about the centre by a factor uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">Smallest factor (&gt; 0; below 1 shrinks).</param>
    /// <param name="max">Largest factor.</param>
    /// <param name="border">What regions brought in show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Scale(double min, double max, Border? border = null, double probability = 1) =>
        Affine(scale: (min, max), border: border, probability: probability);

    /// <summary>Adds a shift uniform in [-fx W, fx W] x [-fy H, fy H].</summary>
    /// <param name="maxFractionX">Largest horizontal shift as a fraction of the width, in [0, 1].</param>
    /// <param name="maxFractionY">Largest vertical shift as a fraction of the height, in [0, 1].</param>
    /// <param name="border">What regions brought in show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Translate(double maxFractionX, double maxFractionY, Border? border = null, double probability = 1) =>
        Affine(translate: (maxFractionX, maxFractionY), border: border, probability: probability);

    /// <summary>Adds torchvision's random affine transform (<see cref="RandomAffineTransform"/>); unset parts stay identity.</summary>
    /// <param name="degrees">Rotation range in degrees (default none).</param>
    /// <param name="translate">Largest shifts as fractions of W and H (default none).</param>
    /// <param name="scale">Zoom range (default none).</param>
    /// <param name="shearX">Horizontal shear range in degrees (default none).</param>
    /// <param name="shearY">Vertical shear range in degrees (default none).</param>
    /// <param name="border">What regions brought in show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Affine((double Min, double Max)? degrees = null, (double X, double Y)? translate = null,
        (double Min, double Max)? scale = null, (double Min, double Max)? shearX = null, (double Min, double Max)? shearY = null,
        Border? border = null, double probability = 1) =>
        Then(new RandomAffineTransform(degrees ?? (0, 0), translate ?? (0, 0), scale ?? (1, 1), shearX ?? (0, 0), shearY ?? (0, 0),
            border ?? Border.Reflect, probability));

    /// <summary>Adds local elastic warping (<see cref="ElasticWarpTransform"/>).</summary>
    /// <param name="amplitude">Largest displacement in pixels.</param>
    /// <param name="gridSize">Lattice nodes per axis (2..64).</param>
    /// <param name="border">What pixels pulled in from outside show (default reflect).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline ElasticWarp(double amplitude, int gridSize = 4, Border? border = null, double probability = 1) =>
        Then(new ElasticWarpTransform(amplitude, gridSize, border ?? Border.Reflect, probability));

    /// <summary>Adds brightness/contrast/saturation jitter with torchvision amounts: factors uniform in [max(0, 1 - x), 1 + x].</summary>
    /// <param name="brightness">Brightness amount, &gt;= 0.</param>
    /// <param name="contrast">Contrast amount, &gt;= 0.</param>
    /// <param name="saturation">Saturation amount, &gt;= 0.</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double probability = 1) =>
        Then(ColorJitterTransform.FromAmounts(brightness, contrast, saturation, probability));

    /// <summary>Adds a per-channel colour shift uniform in [-<paramref name="maxShift"/>, <paramref name="maxShift"/>] (<see cref="ColorShiftTransform"/>).</summary>
    /// <param name="maxShift">Largest shift per channel, in value units.</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline ColorShift(double maxShift, double probability = 1) => Then(new ColorShiftTransform(maxShift, probability));

    /// <summary>Adds AlexNet's PCA colour augmentation (<see cref="PcaColorTransform"/>).</summary>
    /// <param name="basis">RGB principal components (default <see cref="PcaColorBasis.ImageNet"/>).</param>
    /// <param name="alphaStd">Standard deviation of the coefficients (AlexNet: 0.1).</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline PcaColor(PcaColorBasis? basis = null, double alphaStd = 0.1, double probability = 1) =>
        Then(new PcaColorTransform(basis ?? PcaColorBasis.ImageNet, alphaStd, probability));

    /// <summary>Adds Gaussian noise (<see cref="GaussianNoiseTransform"/>).</summary>
    /// <param name="std">Standard deviation in value units.</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline GaussianNoise(double std, double probability = 1) => Then(new GaussianNoiseTransform(std, probability));

    /// <summary>Adds cutout / random erasing (<see cref="CutoutTransform"/>).</summary>
    /// <param name="holes">Rectangles per image (1..16).</param>
    /// <param name="area">Area fraction range per rectangle (default torchvision's (0.02, 0.33)).</param>
    /// <param name="ratio">Aspect ratio range (default (0.3, 3.3)).</param>
    /// <param name="fill">Value of erased pixels.</param>
    /// <param name="probability">Chance per image.</param>
    public AugmentationPipeline Cutout(int holes = 1, (double Min, double Max)? area = null, (double Min, double Max)? ratio = null, float fill = 0, double probability = 1) =>
        Then(new CutoutTransform(holes, area ?? (0.02, 0.33), ratio ?? (0.3, 3.3), fill, probability));

    /// <summary>Adds pasting RGBA cut-outs onto random backgrounds (<see cref="BackgroundCompositeTransform"/>).</summary>
    /// <param name="source">Which backgrounds to use (default solid colours and gradients).</param>
    public AugmentationPipeline CompositeOnto(BackgroundSource? source = null) => Then(new BackgroundCompositeTransform(source ?? new BackgroundSource()));

    private static (double, double) Symmetric(double max, string name)
    {
        OptionChecks.NonNegative(max, name);
        return (-max, max);
    }
}
