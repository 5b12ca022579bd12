using System.Diagnostics;
using VisionPlugin.Host.Capture;
using VisionPlugin.Visualization;
using Xunit.Abstractions;
using static VisionPlugin.Host.Tests.Capture.CaptureTestSupport;

namespace VisionPlugin.Host.Tests.Capture;

/// <summary>Video files (written with Mp4Writer, read back through FFmpeg) and image folders.</summary>
public sealed class FileSourceTests(ITestOutputHelper output)
{
    private static readonly CaptureOptions Lossless = new() { Lossless = true };

    [Fact]
    public void Mp4RoundTrip_LosslessWorkerReadsEveryFrameInOrderWithItsColour()
    {
        using var folder = new TempFolder();
        string path = WritePaletteVideo(folder.File("palette.mp4"), 320, 240, 24, 25);
        using var worker = new CaptureWorker(SourceSpec.Parse(path), Lossless);
        var indices = new List<int>();
        int count = Drain(worker, frame =>
        {
            Assert.Equal((320, 240, 960), (frame.Width, frame.Height, frame.Stride));
            AssertColour(Palette[frame.SourceFrameIndex % Palette.Length], CentreMean(frame), 12, $"frame {frame.SourceFrameIndex}");
            Assert.Equal(frame.SourceFrameIndex / 25.0, frame.Timestamp.TotalSeconds, 6);
            indices.Add(frame.SourceFrameIndex);
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(24, count);
        Assert.Equal(Enumerable.Range(0, 24), indices);
        CaptureStatus status = worker.Status;
        Assert.Equal(CaptureState.Ended, status.State);
        Assert.Equal((24L, 0L), (status.FramesRead, status.FramesDropped));
        Assert.Contains("End of palette.mp4", status.Message);
    }

    [Fact]
    public void LoopingFile_StartsOverAndRestartsItsFrameIndex()
    {
        using var folder = new TempFolder();
        string path = WritePaletteVideo(folder.File("loop.mp4"), 64, 48, 5, 25);
        using var worker = new CaptureWorker(SourceSpec.Parse(path), Lossless with { Loop = true });
        var indices = new List<int>();
        while (indices.Count < 12)
        {
            using CapturedFrame frame = worker.Frames.WaitToTake(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException(worker.Status.ToString());
            AssertColour(Palette[frame.SourceFrameIndex], CentreMean(frame), 12, $"frame {frame.SourceFrameIndex}");
            indices.Add(frame.SourceFrameIndex);
        }
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1], indices);
    }

    [Fact]
    public void PacedFile_PlaysNoFasterThanItsFrameRate()
    {
        using var folder = new TempFolder();
        string path = WritePaletteVideo(folder.File("paced.mp4"), 64, 48, 10, 20);
        var clock = Stopwatch.StartNew();
        using var worker = new CaptureWorker(SourceSpec.Parse(path), Lossless with { Paced = true });
        Assert.Equal(10, Drain(worker, _ => { }, TimeSpan.FromSeconds(30)));
        // 10 frames at 20 fps: the last is due 9/20 = 0.45 s after the first.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.44), $"10 paced frames at 20 fps took only {clock.Elapsed.TotalSeconds:F3} s");
    }

    [Fact]
    public void ImageFolder_PlaysImagesInOrdinalNameOrder_SkippingUnreadableOnes()
    {
        using var folder = new TempFolder();
        string[] names = ["b10.png", "a02.png", "a01.png", "b2.png"]; // ordinal order: a01, a02, b10, b2
        for (int i = 0; i < names.Length; i++)
        {
            (byte b, byte g, byte r) = Palette[i];
            var pixels = new byte[8 * 6 * 3];
            for (int p = 0; p < pixels.Length; p += 3) (pixels[p], pixels[p + 1], pixels[p + 2]) = (r, g, b); // PNG writer takes RGB
            PngWriter.Save(folder.File(names[i]), pixels, 8, 6, PngPixelFormat.Rgb8);
        }
        File.WriteAllText(folder.File("notes.txt"), "not an image");
        byte[] broken = [.. PngWriter.Signature, 1, 2, 3];
        File.WriteAllBytes(folder.File("a03-broken.png"), broken);

        var source = SourceSpec.Parse(folder.Path);
        Assert.Equal(SourceKind.ImageFolder, source.Kind);
        using var worker = new CaptureWorker(source, Lossless);
        var seen = new List<((byte, byte, byte) Colour, int Index)>();
        Drain(worker, frame =>
        {
            Assert.Equal((8, 6), (frame.Width, frame.Height));
            ReadOnlySpan<byte> p = frame.Pixels.Span;
            seen.Add(((p[0], p[1], p[2]), frame.SourceFrameIndex));
        }, TimeSpan.FromSeconds(10));
        // a01 (Palette[2]), a02 (Palette[1]), [a03-broken skipped: index 2], b10 (Palette[0]), b2 (Palette[3])
        Assert.Equal([(Palette[2], 0), (Palette[1], 1), (Palette[0], 3), (Palette[3], 4)], seen);
        Assert.Equal(CaptureState.Ended, worker.Status.State);
    }

    [Fact]
    public void FileThatIsNotAVideo_FailsWithAMessageNamingIt()
    {
        using var folder = new TempFolder();
        string path = folder.File("text.mp4");
        File.WriteAllText(path, "this is not a video");
        using var worker = new CaptureWorker(SourceSpec.Parse(path));
        Assert.True(WaitUntil(() => worker.Status.State == CaptureState.Failed, TimeSpan.FromSeconds(10)), $"status {worker.Status}");
        Assert.Contains($"Could not open video {path}", worker.Status.Message);
        Assert.True(worker.Frames.IsCompleted);
    }

    [Fact]
    public void EmptyImageFolder_Fails()
    {
        using var folder = new TempFolder();
        using var worker = new CaptureWorker(SourceSpec.Parse(folder.Path));
        Assert.True(WaitUntil(() => worker.Status.State == CaptureState.Failed, TimeSpan.FromSeconds(10)), $"status {worker.Status}");
        Assert.Contains("holds no readable images", worker.Status.Message);
    }

    // Moving XOR texture plus pseudo-random noise: costs the codec about what camera footage does (solid colours cost nothing).
    private static string WriteTexturedVideo(string path, int width, int height, int frameCount, double fps)
    {
        using Mp4Writer writer = Mp4Writer.Open(path, width, height, fps);
        var bgr = new byte[width * height * 3];
        var random = new Random(7);
        for (int i = 0; i < frameCount; i++)
        {
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int at = (y * width + x) * 3, texture = ((x + 2 * i) ^ (y + i)) & 0xFF;
                    (bgr[at], bgr[at + 1], bgr[at + 2]) = ((byte)texture, (byte)(255 - texture), (byte)Math.Clamp(texture / 2 + random.Next(-24, 24) + 64, 0, 255));
                }
            writer.Write(bgr, width * 3);
        }
        writer.Complete();
        return path;
    }

    /// <summary>Throughput of the read path: FFmpeg decode + BGR copy into pooled frames, 320x240, consumer keeping up.</summary>
    [Fact]
    public void Measure_ReadingA320x240Mp4ThroughTheWorker()
    {
        using var folder = new TempFolder();
        const int frameCount = 300;
        string path = WriteTexturedVideo(folder.File("bench.mp4"), 320, 240, frameCount, 30);
        var clock = Stopwatch.StartNew();
        using var worker = new CaptureWorker(SourceSpec.Parse(path), Lossless);
        int count = Drain(worker, _ => { }, TimeSpan.FromSeconds(60));
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(frameCount, count);
        Assert.True(worker.Pool.Allocated <= 3, $"a lossless read needs at most 3 buffers; allocated {worker.Pool.Allocated}");
        output.WriteLine($"320x240 mp4, {count} frames through CaptureWorker (lossless): {seconds:F3} s = {count / seconds:F0} frames/s, {1000 * seconds / count:F2} ms per frame (open + decode + BGR copy + hand-over)");

        // The read path alone on this thread: VideoCapture.read (FFmpeg decode + conversion to BGR8) + copy into a pooled frame.
        var pool = new FramePool();
        using VideoCaptureSource source = VideoCaptureSource.Open(SourceSpec.Parse(path), CaptureOptions.Default);
        var readClock = Stopwatch.StartNew();
        int read = 0;
        while (source.Read(pool, read, readClock) is { } frame) { frame.Dispose(); read++; }
        double readMs = readClock.Elapsed.TotalMilliseconds;
        Assert.Equal(frameCount, read);
        output.WriteLine($"VideoCaptureSource.Read alone ({source.BackendName}): {readMs / read:F3} ms per frame (read + convert + copy), {1000 * read / readMs:F0} frames/s");
    }
}
