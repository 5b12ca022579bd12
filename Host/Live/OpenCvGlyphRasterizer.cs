using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Live;

/// <summary>
/// Glyphs for the HUD's atlas from OpenCV's anti-aliased Hershey Simplex font (<c>cv::putText</c>, rasterized once per
/// size): the cap height is about 58 % of the line height (1.5/12 of it above the caps, like the built-in font).
/// </summary>
internal sealed class OpenCvGlyphRasterizer : IGlyphRasterizer
{
    /// <summary>Cap height of Hershey Simplex at font scale 1, in pixels (cv::getTextSize("H").height).</summary>
    private readonly int _capHeightAtScaleOne;
    private readonly double _fontScale;
    private readonly int _thickness;

    public OpenCvGlyphRasterizer(int lineHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lineHeight, 6);
        LineHeight = lineHeight;
        _capHeightAtScaleOne = OpenCvText.Measure("H", 1.0, 1).Height;
        double capHeight = lineHeight * 7.0 / 12.0;
        _fontScale = capHeight / _capHeightAtScaleOne;
        _thickness = lineHeight >= 30 ? 2 : 1;
        Ascent = (int)Math.Round(lineHeight * 8.5 / 12.0);
    }

    public int LineHeight { get; }

    public int Ascent { get; }

    public GlyphBitmap Rasterize(char character)
    {
        string text = character.ToString();
        int advance = OpenCvText.Measure(text, _fontScale, _thickness).Width;
        if (character == ' ') return new GlyphBitmap(0, 0, [], 0, 0, advance);
        TextBitmap bitmap = OpenCvText.Render(text, _fontScale, _thickness);
        // The bitmap's baseline origin is (OriginX, OriginY): its top-left lies OriginX left of the pen and OriginY above the baseline.
        return new GlyphBitmap(bitmap.Width, bitmap.Height, bitmap.Alpha, -bitmap.OriginX, bitmap.OriginY, advance + (_thickness - 1));
    }
}

/// <summary>The HUD's font choice: OpenCV's Hershey font (falls back to the built-in bitmap font if the shim is missing).</summary>
internal static class LiveFonts
{
    public static IGlyphRasterizer Rasterizer(int lineHeight)
    {
        try
        {
            return new OpenCvGlyphRasterizer(lineHeight);
        }
        catch (DllNotFoundException)
        {
            return new BitmapFontRasterizer(lineHeight);
        }
    }
}
