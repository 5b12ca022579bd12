using VisionPlugin.Host.Capture.Native;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// A string rasterised by OpenCV's Hershey fonts as 8-bit coverage (0 = empty, 255 = ink), anti-aliased:
/// <see cref="Width"/> x <see cref="Height"/> bytes, row-major, no padding between rows. The baseline of the text starts at
/// (<see cref="OriginX"/>, <see cref="OriginY"/>); <see cref="Baseline"/> pixels of descent lie below it.
/// A border of empty pixels surrounds the ink so strokes and anti-aliasing are never clipped.
/// </summary>
public sealed record TextBitmap(byte[] Alpha, int Width, int Height, int OriginX, int OriginY, int Baseline);

/// <summary>Text measurement and rasterisation through OpenCV (<c>cv::getTextSize</c>, <c>cv::putText</c>) for glyph atlases.
/// Hershey fonts draw printable ASCII; other characters come out as '?'.</summary>
public static class OpenCvText
{
    /// <summary><c>cv::getTextSize</c>: the box above the baseline (width, height) and the descent below it (baseline).</summary>
    public static (int Width, int Height, int Baseline) Measure(string text, double fontScale, int thickness, HersheyFont font = HersheyFont.Simplex)
    {
        Validate(text, fontScale, thickness);
        return Cv2.GetTextSize(text, font, fontScale, thickness);
    }

    /// <summary>Renders <paramref name="text"/> into a fresh coverage bitmap (see <see cref="TextBitmap"/> for the layout).</summary>
    public static TextBitmap Render(string text, double fontScale, int thickness, HersheyFont font = HersheyFont.Simplex)
    {
        (int width, int height, int baseline) = Measure(text, fontScale, thickness, font);
        int padding = thickness + 1; // anti-aliased edges reach about half a stroke plus a pixel beyond the box
        int bitmapWidth = width + 2 * padding, bitmapHeight = height + baseline + 2 * padding;
        var alpha = new byte[bitmapWidth * bitmapHeight];
        int originX = padding, originY = padding + height;
        Cv2.PutTextAlpha(text, font, fontScale, thickness, alpha, bitmapWidth, bitmapHeight, bitmapWidth, originX, originY);
        return new TextBitmap(alpha, bitmapWidth, bitmapHeight, originX, originY, baseline);
    }

    private static void Validate(string text, double fontScale, int thickness)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(fontScale > 0 && fontScale <= 100)) throw new ArgumentOutOfRangeException(nameof(fontScale), fontScale, "Font scale must be in (0, 100].");
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(thickness, 50);
    }
}
