namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Turns characters into coverage bitmaps at one fixed pixel size, for a <see cref="GlyphAtlas"/>.
/// Implementations: <see cref="BitmapFontRasterizer"/> (the built-in 5x9 font, smoothed); an OpenCV
/// <c>putText</c> rasterizer can fill the same shape (render one character, take its alpha, width, height and baseline).
/// Only printable ASCII (32..126) is asked for.
/// </summary>
public interface IGlyphRasterizer
{
    /// <summary>Pixels from one baseline to the next (the height of a text line).</summary>
    int LineHeight { get; }

    /// <summary>Pixels from the top of a line to its baseline.</summary>
    int Ascent { get; }

    /// <summary>The coverage bitmap and metrics of one character.</summary>
    GlyphBitmap Rasterize(char character);
}

/// <summary>
/// One rasterized character. <see cref="Alpha"/> holds <see cref="Width"/> x <see cref="Height"/> coverage bytes
/// (0 = no ink, 255 = full), row-major from the top row. The bitmap's top-left corner sits
/// <see cref="BearingX"/> pixels right of the pen and <see cref="BearingY"/> pixels above the baseline
/// (FreeType's convention); the pen then moves <see cref="Advance"/> pixels right. A space has an empty bitmap.
/// </summary>
public sealed record GlyphBitmap(int Width, int Height, byte[] Alpha, int BearingX, int BearingY, float Advance)
{
    /// <summary>Throws unless the sizes and the byte count agree.</summary>
    public void Validate(char character)
    {
        if (Width < 0 || Height < 0 || Alpha is null || Alpha.Length != Width * Height || !(Advance >= 0))
            throw new ArgumentException(
                $"Glyph '{character}' is inconsistent: {Width}x{Height} needs {Width * Height} alpha bytes, got {Alpha?.Length ?? 0}; advance {Advance}.");
    }
}
