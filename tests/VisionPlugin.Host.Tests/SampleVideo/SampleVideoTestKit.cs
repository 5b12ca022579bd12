using VisionPlugin.Host.SampleVideo;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests.SampleVideo;

/// <summary>A temporary folder removed on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"samplevideo-test-{Guid.NewGuid():N}"));

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Keeps every frame in memory.</summary>
internal sealed class MemorySink : ISampleVideoSink
{
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Fps { get; private set; }
    public bool Completed { get; private set; }
    public List<byte[]> Frames { get; } = [];

    public void Begin(int width, int height, int fps) => (Width, Height, Fps) = (width, height, fps);
    public void Write(ReadOnlySpan<byte> bgr) => Frames.Add(bgr.ToArray());
    public void Complete() => Completed = true;
    public void Dispose() { }
}

/// <summary>Synthetic source images and small recipes over them.</summary>
internal static class SampleVideoTestKit
{
    // Clearly different base colours (RGB) and stripe directions, one per segment.
    private static readonly (byte R, byte G, byte B, double Fx, double Fy)[] Looks =
    [
        (200, 40, 40, 1, 0), (40, 180, 60, 0, 1), (50, 70, 210, 0.7, 0.7), (220, 200, 40, 0.7, -0.7),
    ];

    /// <summary>
    /// Writes <paramref name="count"/> (at most 4) PNG sources of 240x160: a base colour per segment plus stripes of
    /// period 60 px in a per-segment direction plus a few blobs, so pans and zooms change the picture.
    /// </summary>
    public static IReadOnlyList<SampleVideoSegmentSource> WriteSources(string folder, int count = 3, int width = 240, int height = 160)
    {
        var sources = new List<SampleVideoSegmentSource>();
        for (int k = 0; k < count; k++)
        {
            var (r, g, b, fx, fy) = Looks[k];
            var rgb = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double stripe = 45 * Math.Sin(2 * Math.PI * (fx * x + fy * y) / 60.0);
                double blob = 40 * Math.Exp(-(Math.Pow(x - width * (0.3 + 0.15 * k), 2) + Math.Pow(y - height * 0.6, 2)) / 300.0);
                int i = 3 * (y * width + x);
                rgb[i] = Clamp(r + stripe + blob);
                rgb[i + 1] = Clamp(g + stripe - blob);
                rgb[i + 2] = Clamp(b + stripe);
            }
            string path = Path.Combine(folder, $"source{k}.png");
            PngWriter.Save(path, rgb, width, height, PngPixelFormat.Rgb8);
            sources.Add(new SampleVideoSegmentSource($"class{k}", path, null, "CC0-1.0", "test", 0.5, 0.5));
        }
        return sources;
    }

    public static SampleVideoRecipe SmallRecipe(IReadOnlyList<SampleVideoSegmentSource> sources, int seed = 7) => new()
    {
        Width = 64, Height = 36, Fps = 10, FramesPerSegment = 20, Seed = seed, Segments = sources,
    };

    /// <summary>Mean of |a[i] - b[i]| over all bytes.</summary>
    public static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long total = 0;
        for (int i = 0; i < a.Length; i++) total += Math.Abs(a[i] - b[i]);
        return (double)total / a.Length;
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
