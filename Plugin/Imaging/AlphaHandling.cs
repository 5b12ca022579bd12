namespace VisionPlugin.Imaging;

/// <summary>What <see cref="ImageFolderDataset"/> does with transparency when it loads images.</summary>
public enum AlphaHandling
{
    /// <summary>Lay each image over <see cref="ImageFolderOptions.Background"/> and keep RGB8 (3 bytes per pixel).</summary>
    CompositeOnBackground,

    /// <summary>Keep RGBA8 (4 bytes per pixel) so a later stage (e.g. augmentation) composites onto backgrounds of its choice.</summary>
    KeepRgba,
}
