using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

// Ready-made pipelines for square network inputs (what augment-preview shows).
public sealed partial class AugmentationPipeline
{
    /// <summary>
    /// The usual ImageNet-style training recipe: random resized crop (area 25-100 %), left-right mirror with
    /// probability 0.5, brightness/contrast/saturation jitter of 0.4.
    /// </summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="seed">Seeds every random draw.</param>
    public static AugmentationPipeline Default(int size, int seed = 0) =>
        new AugmentationPipeline(seed)
            .RandomResizedCrop(size, size, scale: (0.25, 1.0))
            .FlipHorizontal(0.5)
            .ColorJitter(0.4, 0.4, 0.4);

    /// <summary>
    /// Everything from the course notes at once: random resized crop, mirror, rotation/shear/zoom/shift, local
    /// warping, colour jitter, PCA colour augmentation, colour shifting, Gaussian noise and cutout.
    /// </summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="seed">Seeds every random draw.</param>
    public static AugmentationPipeline Strong(int size, int seed = 0) =>
        new AugmentationPipeline(seed)
            .RandomResizedCrop(size, size, scale: (0.3, 1.0))
            .FlipHorizontal(0.5)
            .Affine(degrees: (-25, 25), translate: (0.08, 0.08), scale: (0.85, 1.15), shearX: (-12, 12), border: Border.Reflect, probability: 0.8)
            .ElasticWarp(amplitude: size * 0.04, gridSize: 5, probability: 0.6)
            .ColorJitter(0.4, 0.4, 0.5)
            .PcaColor(PcaColorBasis.ImageNet, alphaStd: 0.1)
            .ColorShift(0.08, probability: 0.5)
            .GaussianNoise(0.04, probability: 0.5)
            .Cutout(holes: 1, area: (0.02, 0.12), fill: 0.5f, probability: 0.5);

    /// <summary>
    /// Cut-out compositing for RGBA inputs: resize, random rotation/zoom/shift of the object (transparent outside,
    /// so the background shows there), mirror, paste onto a random background, then mild colour jitter and noise.
    /// </summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="background">Which backgrounds to use (default solid colours and gradients).</param>
    /// <param name="seed">Seeds every random draw.</param>
    public static AugmentationPipeline Composite(int size, BackgroundSource? background = null, int seed = 0) =>
        new AugmentationPipeline(seed)
            .Resize(size, size)
            .Affine(degrees: (-30, 30), translate: (0.2, 0.2), scale: (0.5, 0.95), border: Border.Zero)
            .FlipHorizontal(0.5)
            .CompositeOnto(background)
            .ColorJitter(0.3, 0.3, 0.3)
            .GaussianNoise(0.02, probability: 0.3);
}
