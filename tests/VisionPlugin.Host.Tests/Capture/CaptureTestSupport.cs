using System.Diagnostics;
using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.Tests.Capture;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vp-capture-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class CaptureTestSupport
{
    /// <summary>Well-separated BGR colours; frame i of a test video is Palette[i % Palette.Length].</summary>
    public static readonly (byte B, byte G, byte R)[] Palette =
        [(0, 0, 255), (0, 255, 0), (255, 0, 0), (0, 255, 255), (255, 0, 255), (255, 255, 0), (255, 255, 255), (40, 40, 40)];

    public static byte[] SolidBgr(int width, int height, (byte B, byte G, byte R) colour)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i += 3) (pixels[i], pixels[i + 1], pixels[i + 2]) = colour;
        return pixels;
    }

    /// <summary>The mean B, G, R of a frame's centre quarter (codec edges excluded).</summary>
    public static (double B, double G, double R) CentreMean(CapturedFrame frame)
    {
        ReadOnlySpan<byte> pixels = frame.Pixels.Span;
        double b = 0, g = 0, r = 0;
        int count = 0;
        for (int y = frame.Height / 4; y < frame.Height * 3 / 4; y++)
            for (int x = frame.Width / 4; x < frame.Width * 3 / 4; x++)
            {
                int at = y * frame.Stride + x * 3;
                (b, g, r, count) = (b + pixels[at], g + pixels[at + 1], r + pixels[at + 2], count + 1);
            }
        return (b / count, g / count, r / count);
    }

    public static void AssertColour((byte B, byte G, byte R) expected, (double B, double G, double R) actual, double tolerance, string what)
    {
        double error = Math.Max(Math.Abs(expected.B - actual.B), Math.Max(Math.Abs(expected.G - actual.G), Math.Abs(expected.R - actual.R)));
        Assert.True(error <= tolerance,
            $"{what}: expected BGR ({expected.B},{expected.G},{expected.R}), got ({actual.B:F1},{actual.G:F1},{actual.R:F1}); error {error:F1} > {tolerance}");
    }

    /// <summary>Writes <paramref name="frameCount"/> solid-colour frames (Palette order) into an mp4.</summary>
    public static string WritePaletteVideo(string path, int width, int height, int frameCount, double fps)
    {
        using Mp4Writer writer = Mp4Writer.Open(path, width, height, fps);
        for (int i = 0; i < frameCount; i++) writer.Write(SolidBgr(width, height, Palette[i % Palette.Length]), width * 3);
        writer.Complete();
        return path;
    }

    /// <summary>Polls <paramref name="condition"/> until true or the timeout; returns whether it became true.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) return false;
            Thread.Sleep(10);
        }
        return true;
    }

    /// <summary>Takes every frame of a lossless worker until its channel completes; disposes each after <paramref name="inspect"/>.</summary>
    public static int Drain(CaptureWorker worker, Action<CapturedFrame> inspect, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        int count = 0;
        while (clock.Elapsed < timeout)
        {
            using CapturedFrame? frame = worker.Frames.WaitToTake(TimeSpan.FromMilliseconds(200));
            if (frame is null)
            {
                if (worker.Frames.IsCompleted) return count;
                continue;
            }
            inspect(frame);
            count++;
        }
        throw new TimeoutException($"The worker for {worker.Source} did not finish within {timeout}; status {worker.Status}");
    }
}
