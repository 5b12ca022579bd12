using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests;

/// <summary>Pixel checks with messages that say where and what.</summary>
internal static class ImageAssert
{
    public static void Near(RgbColor expected, RgbImage image, int x, int y, int tolerance, string what)
    {
        RgbColor actual = image[x, y];
        int error = Math.Max(Math.Abs(actual.R - expected.R), Math.Max(Math.Abs(actual.G - expected.G), Math.Abs(actual.B - expected.B)));
        Assert.True(error <= tolerance, $"{what}: pixel ({x},{y}) is {actual}, expected {expected} within {tolerance} levels.");
    }

    /// <summary>The letterboxed frame shows the four quadrant colours at their centres and bar colour outside <paramref name="imageRect"/>.</summary>
    public static void ShowsQuadrants(RgbImage image, PixelRect imageRect, string what)
    {
        int x0 = (int)imageRect.X, y0 = (int)imageRect.Y, w = (int)imageRect.Width, h = (int)imageRect.Height;
        Near(TestScenes.TopLeft, image, x0 + w / 4, y0 + h / 4, 2, $"{what} top-left quadrant");
        Near(TestScenes.TopRight, image, x0 + 3 * w / 4, y0 + h / 4, 2, $"{what} top-right quadrant");
        Near(TestScenes.BottomLeft, image, x0 + w / 4, y0 + 3 * h / 4, 2, $"{what} bottom-left quadrant");
        Near(TestScenes.BottomRight, image, x0 + 3 * w / 4, y0 + 3 * h / 4, 2, $"{what} bottom-right quadrant");
        // The image's corners (just inside) and the bars (just outside), where there are bars.
        Near(TestScenes.TopLeft, image, x0 + 1, y0 + 1, 2, $"{what} image corner");
        Near(TestScenes.BottomRight, image, x0 + w - 2, y0 + h - 2, 2, $"{what} image corner");
        if (y0 > 0) Near(HudTheme.LetterboxBars, image, x0 + w / 2, y0 - 1, 0, $"{what} top bar");
        if (y0 + h < image.Height) Near(HudTheme.LetterboxBars, image, x0 + w / 2, y0 + h, 0, $"{what} bottom bar");
        if (x0 > 0) Near(HudTheme.LetterboxBars, image, x0 - 1, y0 + h / 2, 0, $"{what} left bar");
        if (x0 + w < image.Width) Near(HudTheme.LetterboxBars, image, x0 + w, y0 + h / 2, 0, $"{what} right bar");
    }

    /// <summary>Number of pixels in <paramref name="rect"/> brighter than <paramref name="threshold"/> in every channel (text ink on a dark panel).</summary>
    public static int BrightPixels(RgbImage image, PixelRect rect, int threshold = 180)
    {
        int count = 0;
        for (int y = (int)rect.Y; y < (int)rect.Bottom; y++)
            for (int x = (int)rect.X; x < (int)rect.Right; x++)
            {
                RgbColor c = image[x, y];
                if (c.R > threshold && c.G > threshold && c.B > threshold) count++;
            }
        return count;
    }
}
