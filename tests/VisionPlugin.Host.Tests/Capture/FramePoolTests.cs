using VisionPlugin.Engine.Imaging;
using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class FramePoolTests
{
    [Fact]
    public void DisposedFramesAreReusedBySize_AndDisposeIsIdempotent()
    {
        var pool = new FramePool();
        CapturedFrame first = pool.Rent(16, 8, 0, -1, TimeSpan.Zero);
        first.Pixels.Span.Fill(9);
        first.Dispose();
        first.Dispose();
        Assert.Equal((0L, 1L), (pool.Rented, pool.Allocated));
        Assert.Throws<ObjectDisposedException>(() => first.Pixels);
        using CapturedFrame reused = pool.Rent(16, 8, 1, -1, TimeSpan.Zero);
        using CapturedFrame otherSize = pool.Rent(8, 8, 2, -1, TimeSpan.Zero);
        Assert.Equal((2L, 2L), (pool.Rented, pool.Allocated));
        Assert.Equal(9, reused.Pixels.Span[0]); // the same buffer came back (contents are not cleared)
        Assert.Equal(8 * 8 * 3, otherSize.Pixels.Length);
    }

    [Fact]
    public void PluginFrame_IsBgr24WithTheFramesPixels()
    {
        var pool = new FramePool();
        using CapturedFrame frame = pool.Rent(5, 3, 0, 4, TimeSpan.FromSeconds(1));
        frame.Pixels.Span[7] = 200;
        var pluginFrame = frame.AsPluginFrame();
        Assert.Equal((5, 3, 15, PixelFormat.Bgr24), (pluginFrame.Width, pluginFrame.Height, pluginFrame.Stride, pluginFrame.Format));
        Assert.Equal(200, pluginFrame.Pixels.Span[7]);
    }

    [Fact]
    public void IdleBuffersAreCappedPerSize()
    {
        var pool = new FramePool(maxIdlePerSize: 2);
        var frames = Enumerable.Range(0, 5).Select(i => pool.Rent(4, 4, i, -1, TimeSpan.Zero)).ToList();
        frames.ForEach(f => f.Dispose());
        Enumerable.Range(0, 5).Select(i => pool.Rent(4, 4, i, -1, TimeSpan.Zero)).ToList().ForEach(f => f.Dispose());
        Assert.Equal(8, pool.Allocated); // 5, then 2 reused + 3 new
    }

    /// <summary>Soak: 2,000 frames from a live pipeline through the worker; memory use (buffers allocated) stays flat.</summary>
    [Fact]
    public void Soak_2000FramesThroughAWorker_AllocateAHandfulOfBuffers()
    {
        var pool = new FramePool();
        var source = SourceSpec.Parse("gst:videotestsrc pattern=ball ! video/x-raw,width=80,height=60 ! videoconvert ! appsink sync=false");
        long taken = 0;
        using (var worker = new CaptureWorker(source, new CaptureOptions { Pool = pool }))
        {
            while (worker.Status.FramesRead < 2000)
            {
                using CapturedFrame? frame = worker.Frames.WaitToTake(TimeSpan.FromSeconds(10));
                Assert.True(frame is not null, $"no frame within 10 s; status {worker.Status}");
                taken++;
            }
            Assert.True(worker.Status.FramesDropped + taken >= 2000 - 2, $"read {worker.Status.FramesRead}, taken {taken}, dropped {worker.Status.FramesDropped}");
        }
        Assert.Equal(0, pool.Rented); // the worker's unread frame went back on Dispose
        Assert.True(pool.Allocated <= 4, $"2,000 frames needed {pool.Allocated} buffers; the newest-wins hand-over needs at most 3 (consumer, slot, being filled)");
    }
}
