using System.Diagnostics;
using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class LatestFrameChannelTests
{
    private readonly FramePool _pool = new();

    private CapturedFrame Frame(long sequence) => _pool.Rent(4, 2, sequence, -1, TimeSpan.Zero);

    [Fact]
    public void SlowConsumer_SeesOnlyTheNewestFrame_AndReplacedFramesGoBackToThePool()
    {
        using var channel = new LatestFrameChannel();
        var written = Enumerable.Range(0, 5).Select(i => Frame(i)).ToList();
        foreach (CapturedFrame frame in written) Assert.True(channel.Write(frame));
        Assert.True(channel.TryTake(out CapturedFrame? taken));
        Assert.Equal(4, taken!.Sequence);
        Assert.All(written.Take(4), f => Assert.True(f.IsDisposed));
        Assert.Equal((4L, 5L), (channel.DroppedCount, channel.WrittenCount));
        Assert.Equal(1, _pool.Rented); // only the taken frame is still out
        taken.Dispose();
        Assert.Equal(0, _pool.Rented);
        Assert.False(channel.TryTake(out _));
    }

    [Fact]
    public void Producer_NeverBlocksWhenNobodyTakes()
    {
        using var channel = new LatestFrameChannel();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 10_000; i++) channel.Write(Frame(i));
        // Liveness only: a blocking Write would hang here (there is no consumer); the bound is generous.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"10,000 writes took {clock.Elapsed}");
        Assert.Equal(9_999, channel.DroppedCount);
        Assert.Equal(1, _pool.Rented);
        Assert.Equal(2, _pool.Allocated); // the slot's frame and the one replacing it, reused ever after
    }

    [Fact]
    public async Task WriteWhenEmpty_WaitsForTheConsumer_AndDropsNothing()
    {
        using var channel = new LatestFrameChannel();
        var received = new List<long>();
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 50; i++) Assert.True(channel.WriteWhenEmpty(Frame(i), CancellationToken.None));
            channel.Complete();
        });
        while (true)
        {
            using CapturedFrame? frame = channel.WaitToTake(TimeSpan.FromSeconds(10));
            if (frame is null) break;
            received.Add(frame.Sequence);
            Thread.Sleep(1); // a slow consumer
        }
        await producer;
        Assert.True(channel.IsCompleted);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), received);
        Assert.Equal(0, channel.DroppedCount);
        Assert.Equal(0, _pool.Rented);
    }

    [Fact]
    public void WriteWhenEmpty_ReturnsFalseAndDisposesTheFrameWhenCancelled()
    {
        using var channel = new LatestFrameChannel();
        channel.Write(Frame(0));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        CapturedFrame blocked = Frame(1);
        Assert.False(channel.WriteWhenEmpty(blocked, cancellation.Token));
        Assert.True(blocked.IsDisposed);
    }

    [Fact]
    public void WaitToTake_TimesOutWithNull_AndHonoursCancellation()
    {
        using var channel = new LatestFrameChannel();
        var clock = Stopwatch.StartNew();
        Assert.Null(channel.WaitToTake(TimeSpan.FromMilliseconds(50)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(45));
        Assert.False(channel.IsCompleted);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => channel.WaitToTake(TimeSpan.FromSeconds(30), cancellation.Token));
    }

    [Fact]
    public void WaitToTake_WakesWhenAFrameArrivesFromAnotherThread()
    {
        using var channel = new LatestFrameChannel();
        _ = Task.Run(() => { Thread.Sleep(50); channel.Write(Frame(7)); });
        using CapturedFrame? frame = channel.WaitToTake(TimeSpan.FromSeconds(10));
        Assert.Equal(7, frame?.Sequence);
    }

    [Fact]
    public void AfterComplete_WritesAreRefusedAndDisposed_AndDisposeReturnsTheUnreadFrame()
    {
        var channel = new LatestFrameChannel();
        CapturedFrame unread = Frame(0);
        channel.Write(unread);
        channel.Complete();
        CapturedFrame late = Frame(1);
        Assert.False(channel.Write(late));
        Assert.True(late.IsDisposed);
        Assert.False(channel.IsCompleted); // the unread frame can still be taken
        channel.Dispose();
        channel.Dispose();
        Assert.True(unread.IsDisposed);
        Assert.True(channel.IsCompleted);
        Assert.Equal(0, _pool.Rented);
    }
}
