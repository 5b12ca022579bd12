namespace VisionPlugin.Visualization;

/// <summary>Layout of the pixels handed to <see cref="PngWriter"/>: 8 bits per channel, row-major, no row padding.</summary>
public enum PngPixelFormat
{
    /// <summary>Red, green, blue: 3 bytes per pixel (PNG color type 2, truecolor).</summary>
    Rgb8,

    /// <summary>Red, green, blue, alpha (straight, not premultiplied): 4 bytes per pixel (PNG color type 6).</summary>
    Rgba8,
}
