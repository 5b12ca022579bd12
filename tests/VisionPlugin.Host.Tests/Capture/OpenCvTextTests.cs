using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Capture.Native;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class OpenCvTextTests
{
    [Fact]
    public void Measure_GrowsWithTheTextAndTheScale()
    {
        var one = OpenCvText.Measure("A", 1.0, 1);
        var three = OpenCvText.Measure("AAA", 1.0, 1);
        var big = OpenCvText.Measure("A", 2.0, 1);
        Assert.True(three.Width > 2 * one.Width, $"AAA {three} vs A {one}");
        Assert.Equal(one.Height, three.Height);
        Assert.InRange(big.Height, 2 * one.Height - 2, 2 * one.Height + 2);
        Assert.True(one.Baseline > 0);
    }

    [Fact]
    public void Render_InksInsideTheBitmapWithAnEmptyBorder()
    {
        TextBitmap bitmap = OpenCvText.Render("Hg", 1.0, 2);
        var size = OpenCvText.Measure("Hg", 1.0, 2);
        Assert.Equal((size.Width + 6, size.Height + size.Baseline + 6), (bitmap.Width, bitmap.Height));
        Assert.Equal(bitmap.Width * bitmap.Height, bitmap.Alpha.Length);
        Assert.Contains(bitmap.Alpha, a => a == 255);
        Assert.Contains(bitmap.Alpha, a => a is > 0 and < 255); // anti-aliased edges
        for (int x = 0; x < bitmap.Width; x++)
            Assert.True(bitmap.Alpha[x] == 0 && bitmap.Alpha[(bitmap.Height - 1) * bitmap.Width + x] == 0, $"ink on the top/bottom border at x={x}");
        for (int y = 0; y < bitmap.Height; y++)
            Assert.True(bitmap.Alpha[y * bitmap.Width] == 0 && bitmap.Alpha[y * bitmap.Width + bitmap.Width - 1] == 0, $"ink on the left/right border at y={y}");
        // "g" descends below the baseline; "H" does not rise above the box.
        Assert.Contains(Enumerable.Range(bitmap.OriginY + 2, bitmap.Height - bitmap.OriginY - 2), y => RowHasInk(bitmap, y));
    }

    [Fact]
    public void Fonts_DrawDifferently()
    {
        TextBitmap simplex = OpenCvText.Render("Abc", 1.0, 1, HersheyFont.Simplex);
        TextBitmap duplex = OpenCvText.Render("Abc", 1.0, 1, HersheyFont.Duplex);
        Assert.False(simplex.Width == duplex.Width && simplex.Alpha.SequenceEqual(duplex.Alpha));
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenCvText.Render("x", 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenCvText.Render("x", 1, 0));
        Assert.Throws<ArgumentException>(() => OpenCvText.Render("a\0b", 1, 1));
    }

    private static bool RowHasInk(TextBitmap bitmap, int y) => bitmap.Alpha.AsSpan(y * bitmap.Width, bitmap.Width).ContainsAnyExcept((byte)0);
}
