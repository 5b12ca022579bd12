namespace VisionPlugin.Host.Rendering;

/// <summary>Fitting an image into an area at its own aspect ratio, centred, with bars on the sides that are left over.</summary>
public static class Letterbox
{
    /// <summary>
    /// The largest rectangle of aspect <paramref name="imageWidth"/>:<paramref name="imageHeight"/> inside
    /// <paramref name="area"/>, centred, snapped to whole pixels: scale = min(areaW / imageW, areaH / imageH).
    /// </summary>
    public static PixelRect Fit(int imageWidth, int imageHeight, PixelRect area)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        if (area.IsEmpty) return new PixelRect(area.X, area.Y, 0, 0);
        float scale = Math.Min(area.Width / imageWidth, area.Height / imageHeight);
        float width = Math.Min(area.Width, MathF.Round(imageWidth * scale));
        float height = Math.Min(area.Height, MathF.Round(imageHeight * scale));
        float x = area.X + MathF.Floor((area.Width - width) / 2);
        float y = area.Y + MathF.Floor((area.Height - height) / 2);
        return new PixelRect(x, y, width, height);
    }
}
