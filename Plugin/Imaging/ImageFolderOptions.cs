using VisionPlugin.Visualization;

namespace VisionPlugin.Imaging;

/// <summary>How <see cref="ImageFolderDataset.Load"/> turns files into samples. Immutable; use <c>with</c> to vary.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>The defaults: full size, composited onto white, default decode limits.</summary>
    public static ImageFolderOptions Default { get; } = new();

    private readonly int? _maxSide;

    /// <summary>
    /// When set, every image whose longer side exceeds this is shrunk on load (area averaging, aspect kept,
    /// see <see cref="AreaResampler.FitWithin"/>), one file at a time, so a folder of large pictures costs
    /// memory for the small versions only. Null (default) keeps each image at its own size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? MaxSide
    {
        get => _maxSide;
        init => _maxSide = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSide), value, "MaxSide must be at least 1.");
    }

    /// <summary>Whether samples are composited to RGB8 (default) or kept as RGBA8.</summary>
    public AlphaHandling Alpha { get; init; } = AlphaHandling.CompositeOnBackground;

    /// <summary>The background for <see cref="AlphaHandling.CompositeOnBackground"/> (default white).</summary>
    public RgbColor Background { get; init; } = RgbColor.White;

    /// <summary>Size limits applied to every file; a file beyond them is skipped, not fatal.</summary>
    public ImageDecodeLimits Limits { get; init; } = ImageDecodeLimits.Default;
}
