using VisionPlugin.Host.Capture;
using static VisionPlugin.Host.Tests.Capture.CaptureTestSupport;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class Mp4WriterTests
{
    [Fact]
    public void FileAppearsOnlyWhenComplete_AndNoPartialFileRemains()
    {
        using var folder = new TempFolder();
        string path = folder.File("clip.mp4");
        using (Mp4Writer writer = Mp4Writer.Open(path, 64, 48, 25))
        {
            writer.Write(SolidBgr(64, 48, Palette[0]), 64 * 3);
            Assert.False(File.Exists(path));
            Assert.Single(Directory.GetFiles(folder.Path), f => f.Contains(".partial-"));
            Assert.Equal(1, writer.FramesWritten);
        }
        Assert.True(new FileInfo(path).Length > 0);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriterWithNoFrames_LeavesNothingBehind()
    {
        using var folder = new TempFolder();
        using (Mp4Writer.Open(folder.File("empty.mp4"), 64, 48, 25)) { }
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void PaddedRows_AreWrittenWithTheirStride()
    {
        using var folder = new TempFolder();
        string path = folder.File("stride.mp4");
        const int stride = 64 * 3 + 20;
        var padded = new byte[stride * 48];
        for (int y = 0; y < 48; y++) SolidBgr(64, 1, Palette[1]).CopyTo(padded, y * stride);
        using (Mp4Writer writer = Mp4Writer.Open(path, 64, 48, 25)) writer.Write(padded, stride);
        using var worker = new CaptureWorker(SourceSpec.Parse(path), new CaptureOptions { Lossless = true });
        Assert.Equal(1, Drain(worker, frame => AssertColour(Palette[1], CentreMean(frame), 12, "padded frame"), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void BadArguments_GiveClearErrors()
    {
        using var folder = new TempFolder();
        Assert.Contains(".mp4", Assert.Throws<ArgumentException>(() => Mp4Writer.Open(folder.File("clip.avi"), 64, 48, 25)).Message);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => Mp4Writer.Open(folder.File("missing/clip.mp4"), 64, 48, 25)).Message);
        Assert.Contains("even sides", Assert.Throws<ArgumentOutOfRangeException>(() => Mp4Writer.Open(folder.File("odd.mp4"), 63, 48, 25)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mp4Writer.Open(folder.File("rate.mp4"), 64, 48, 0));
        using Mp4Writer writer = Mp4Writer.Open(folder.File("clip.mp4"), 64, 48, 25);
        Assert.Contains("needs 9216 bytes; got 100", Assert.Throws<ArgumentException>(() => writer.Write(new byte[100], 64 * 3)).Message);
        Assert.Contains("Stride 10", Assert.Throws<ArgumentException>(() => writer.Write(new byte[10_000], 10)).Message);
        var pool = new FramePool();
        using CapturedFrame wrongSize = pool.Rent(32, 32, 0, -1, TimeSpan.Zero);
        Assert.Contains("64x48", Assert.Throws<ArgumentException>(() => writer.Write(wrongSize)).Message);
    }
}
