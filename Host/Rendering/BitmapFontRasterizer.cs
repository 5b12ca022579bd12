using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// The built-in <see cref="BitmapFont"/> (5x9 font pixels) at any line height, anti-aliased: each output pixel is
/// split into 3x3 sub-samples, a sub-sample is ink when the font pixel under it is, and the pixel's coverage is
/// the mean of its 9 sub-samples (a box filter over a 3x rendering). One font pixel is
/// <c>s = LineHeight / 12</c> output pixels: a line is 12 font pixels (1.5 above the caps, 7 of caps, 2 of
/// descenders, 1.5 below).
/// </summary>
public sealed class BitmapFontRasterizer : IGlyphRasterizer
{
    private const int LineFontPixels = 12;
    private const float TopPadding = 1.5f;
    private const int SubSamples = 3;
    private readonly float _scale;
    private readonly int _capPixels;
    private readonly int _descentPixels;

    /// <param name="lineHeight">Line height in pixels, 8..200.</param>
    public BitmapFontRasterizer(int lineHeight)
    {
        if (lineHeight is < 8 or > 200)
            throw new ArgumentOutOfRangeException(nameof(lineHeight), lineHeight, "Line height must be 8..200 pixels.");
        LineHeight = lineHeight;
        _scale = lineHeight / (float)LineFontPixels;
        _capPixels = (int)MathF.Ceiling(BitmapFont.CapHeight * _scale);
        _descentPixels = (int)MathF.Ceiling((BitmapFont.GlyphHeight - BitmapFont.CapHeight) * _scale);
        Ascent = (int)MathF.Round((TopPadding + BitmapFont.CapHeight) * _scale);
    }

    public int LineHeight { get; }
    public int Ascent { get; }

    public GlyphBitmap Rasterize(char character)
    {
        float advance = BitmapFont.Advance * _scale;
        if (character == ' ') return new GlyphBitmap(0, 0, [], 0, 0, advance);
        int width = (int)MathF.Ceiling(BitmapFont.GlyphWidth * _scale);
        int height = _capPixels + _descentPixels;
        var alpha = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                alpha[y * width + x] = Coverage(character, x, y);
        return new GlyphBitmap(width, height, alpha, 0, _capPixels, advance);
    }

    // Bitmap row y lies (capPixels - y) pixels above the baseline; the baseline is font row 7 (CapHeight).
    private byte Coverage(char character, int x, int y)
    {
        int ink = 0;
        for (int j = 0; j < SubSamples; j++)
        {
            float aboveBaseline = _capPixels - (y + (j + 0.5f) / SubSamples);
            int fontRow = (int)MathF.Floor(BitmapFont.CapHeight - aboveBaseline / _scale);
            for (int i = 0; i < SubSamples; i++)
            {
                int fontColumn = (int)MathF.Floor((x + (i + 0.5f) / SubSamples) / _scale);
                if (BitmapFont.IsInk(character, fontColumn, fontRow)) ink++;
            }
        }
        return (byte)((ink * 255 + SubSamples * SubSamples / 2) / (SubSamples * SubSamples));
    }
}
