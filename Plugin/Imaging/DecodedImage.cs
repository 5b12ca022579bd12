using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Imaging;

/// <summary>
/// A decoded image: <see cref="Width"/> x <see cref="Height"/> pixels as RGBA8 (4 bytes per pixel,
/// row-major from the top row, no padding, straight — not premultiplied — alpha), whatever the source
/// layout was. Opaque sources get alpha 255 everywhere and <see cref="HasAlpha"/> false. Immutable.
/// </summary>
public sealed class DecodedImage
{
    /// <summary>Bytes per pixel: red, green, blue, alpha.</summary>
    public const int BytesPerPixel = 4;

    private readonly byte[] _pixels;

    /// <summary>Creates an image from a copy of <paramref name="rgba"/> (what a host-provided decoder calls).</summary>
    /// <param name="width">Columns, 1 or more.</param>
    /// <param name="height">Rows, 1 or more.</param>
    /// <param name="rgba">width * height * 4 bytes, RGBA8, top row first.</param>
    /// <param name="hasAlpha">Whether the source carried transparency (an alpha channel or a transparent colour).</param>
    /// <param name="format">The source format, e.g. "PNG", "BMP", "JPEG".</param>
    /// <exception cref="ArgumentException">The sizes and the byte count disagree, or the format is empty.</exception>
    public DecodedImage(int width, int height, ReadOnlySpan<byte> rgba, bool hasAlpha, string format)
        : this(width, height, rgba.ToArray(), hasAlpha, format, validated: false)
    {
    }

    private DecodedImage(int width, int height, byte[] pixels, bool hasAlpha, string format, bool validated)
    {
        if (!validated)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
            ArgumentException.ThrowIfNullOrWhiteSpace(format);
            if ((long)width * height * BytesPerPixel != pixels.Length)
                throw new ArgumentException($"A {width}x{height} RGBA8 image needs {(long)width * height * BytesPerPixel} bytes; got {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        _pixels = pixels;
        HasAlpha = hasAlpha;
        Format = format;
    }

    /// <summary>Adopts <paramref name="pixels"/> without copying; the caller must not keep or change it.</summary>
    internal static DecodedImage Own(int width, int height, byte[] pixels, bool hasAlpha, string format)
    {
        if ((long)width * height * BytesPerPixel != pixels.Length)
            throw new ArgumentException($"A {width}x{height} RGBA8 image needs {(long)width * height * BytesPerPixel} bytes; got {pixels.Length}.", nameof(pixels));
        return new DecodedImage(width, height, pixels, hasAlpha, format, validated: true);
    }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>RGBA8 pixels, row-major from the top row: R, G, B, A of (0,0), then of (1,0), and so on.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>
    /// Whether the source had transparency: a PNG with an alpha channel (colour types 4 and 6) or a tRNS
    /// chunk, a BMP with non-zero alpha bytes or an alpha mask. False means every alpha byte is 255.
    /// </summary>
    public bool HasAlpha { get; }

    /// <summary>The format the pixels were decoded from ("PNG", "BMP", or what a registered decoder reports).</summary>
    public string Format { get; }

    /// <summary>The pixels as a frame for <see cref="Classifier"/> and the GPU preprocessing (<see cref="PixelFormat.Rgba32"/>).</summary>
    public Frame ToFrame() => Frame.Packed(_pixels, Width, Height, PixelFormat.Rgba32);

    /// <summary>"PNG 640x480 RGBA8 (alpha)".</summary>
    public override string ToString() => $"{Format} {Width}x{Height} RGBA8{(HasAlpha ? " (alpha)" : "")}";
}
