using VisionPlugin.Host.SampleVideo;

namespace VisionPlugin.Host.Tests.SampleVideo;

public sealed class KenBurnsPathTests
{
    [Theory]
    [InlineData(1000, 800, 1)]   // landscape wider than tall, narrower than 16:9: window limited by the width
    [InlineData(2000, 600, 2)]   // very wide: limited by the height
    [InlineData(600, 1000, 3)]   // portrait
    public void Windows_KeepTheOutputAspect_StayInside_AndZoomBetween1AndMax(int width, int height, int seed)
    {
        double aspect = 16.0 / 9;
        var path = new KenBurnsPath(width, height, aspect, 0.5, 0.5, 1.0, 1.4, 0.25, new Random(seed));
        double baseWidth = Math.Min(width, height * aspect);
        var windows = Enumerable.Range(0, 50).Select(i => path.At(i, 50)).ToList();

        foreach (CropWindow w in windows)
        {
            Assert.Equal(aspect, w.Width / w.Height, 6);
            Assert.True(w.X >= -1e-9 && w.Y >= -1e-9 && w.X + w.Width <= width + 1e-9 && w.Y + w.Height <= height + 1e-9, $"{w} outside {width}x{height}");
        }
        double[] zooms = [.. windows.Select(w => baseWidth / w.Width)];
        Assert.Equal(path.ZoomsIn ? 1.0 : 1.4, zooms[0], 9);
        Assert.Equal(path.ZoomsIn ? 1.4 : 1.0, zooms[^1], 9);
        for (int i = 1; i < zooms.Length; i++) Assert.Equal(0.4 / 49, Math.Abs(zooms[i] - zooms[i - 1]), 9); // constant speed
    }

    [Fact]
    public void Path_PansAroundTheFocus()
    {
        // Zoom 2..2.5 keeps the window small enough that no edge clamps the pan.
        var path = new KenBurnsPath(4000, 3000, 16.0 / 9, 0.5, 0.5, 2.0, 2.5, 0.25, new Random(5));
        CropWindow first = path.At(0, 10), middle = path.At(5, 11), last = path.At(9, 10);
        double Distance(CropWindow a, CropWindow b) => Math.Sqrt(
            Math.Pow(a.X + a.Width / 2 - b.X - b.Width / 2, 2) + Math.Pow(a.Y + a.Height / 2 - b.Y - b.Height / 2, 2));
        // Unzoomed window: 4000 x 2250; the centre travels 0.25 * 4000 = 1000 px (nothing near an edge clamps it).
        Assert.Equal(1000, Distance(first, last), 6);
        Assert.Equal(2000, middle.X + middle.Width / 2, 6);
        Assert.Equal(1500, middle.Y + middle.Height / 2, 6);
    }

    [Fact]
    public void At_RejectsFramesOutsideTheSegment()
    {
        var path = new KenBurnsPath(100, 100, 1, 0.5, 0.5, 1.0, 1.2, 0.1, new Random(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => path.At(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => path.At(-1, 10));
    }
}
