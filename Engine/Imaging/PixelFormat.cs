namespace VisionPlugin.Engine.Imaging;

/// <summary>Byte layouts of 8-bit frames the preprocessing reads (OpenCV frames are <see cref="Bgr24"/>).</summary>
public enum PixelFormat
{
    Bgr24,
    Rgb24,
    Rgba32,
    Bgra32,
    Gray8,
}

public static class PixelFormats
{
    public static int BytesPerPixel(this PixelFormat format) => format switch
    {
        PixelFormat.Bgr24 or PixelFormat.Rgb24 => 3,
        PixelFormat.Rgba32 or PixelFormat.Bgra32 => 4,
        PixelFormat.Gray8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };

    /// <summary>Byte offsets of (R, G, B) inside one pixel.</summary>
    public static (int Red, int Green, int Blue) ChannelOffsets(this PixelFormat format) => format switch
    {
        PixelFormat.Bgr24 or PixelFormat.Bgra32 => (2, 1, 0),
        PixelFormat.Rgb24 or PixelFormat.Rgba32 => (0, 1, 2),
        PixelFormat.Gray8 => (0, 0, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };
}
