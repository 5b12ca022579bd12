using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Classification;

/// <summary>
/// An 8-bit image in memory: <paramref name="Height"/> rows of <paramref name="Stride"/> bytes, pixels laid
/// out as <paramref name="Format"/> (OpenCV frames are <see cref="PixelFormat.Bgr24"/>).
/// </summary>
/// <param name="Pixels">The bytes; at least Stride * (Height - 1) + Width * bytes-per-pixel long.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Stride">Bytes from one row to the next (at least Width * bytes-per-pixel).</param>
/// <param name="Format">Byte layout of a pixel.</param>
public readonly record struct Frame(ReadOnlyMemory<byte> Pixels, int Width, int Height, int Stride, PixelFormat Format)
{
    /// <summary>A tightly packed frame (stride = width * bytes per pixel).</summary>
    /// <param name="pixels">The bytes.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    /// <param name="format">Byte layout of a pixel.</param>
    public static Frame Packed(ReadOnlyMemory<byte> pixels, int width, int height, PixelFormat format) =>
        new(pixels, width, height, width * format.BytesPerPixel(), format);
}
