using System.Diagnostics;
using VisionPlugin.Host.Capture;
using static VisionPlugin.Host.Tests.Capture.CaptureTestSupport;

namespace VisionPlugin.Host.Tests.Capture;

/// <summary>Live sources: a GStreamer videotestsrc pipeline stands in for a camera (there is no /dev/video* here).</summary>
public sealed class LiveSourceTests
{
    private static CaptureOptions FastReconnect => new() { ReconnectInitialDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public void GStreamerTestSource_DeliversRedFramesOfTheRequestedSizeAtItsRate()
    {
        var source = SourceSpec.Parse("videotestsrc is-live=true pattern=red ! video/x-raw,width=160,height=120,framerate=30/1 ! videoconvert ! appsink");
        Assert.Equal(SourceKind.GStreamerPipeline, source.Kind);
        using var worker = new CaptureWorker(source);
        var frames = new List<(int Width, int Height, long Sequence, int Index, (double B, double G, double R) Mean)>();
        var clock = Stopwatch.StartNew();
        while (frames.Count < 45 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            using CapturedFrame? frame = worker.Frames.WaitToTake(TimeSpan.FromSeconds(1));
            if (frame is not null) frames.Add((frame.Width, frame.Height, frame.Sequence, frame.SourceFrameIndex, CentreMean(frame)));
        }
        Assert.True(frames.Count == 45, $"expected 45 frames within 20 s; got {frames.Count}; status {worker.Status}");
        Assert.All(frames, f => Assert.Equal((160, 120, -1), (f.Width, f.Height, f.Index)));
        Assert.All(frames, f => AssertColour((0, 0, 255), f.Mean, 3, "videotestsrc pattern=red"));
        Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequence numbers must increase");
        CaptureStatus status = worker.Status;
        Assert.Equal(CaptureState.Running, status.State);
        Assert.Equal((160, 120), (status.Width, status.Height));
        Assert.InRange(status.FramesPerSecond, 15, 45); // a live 30/1 source; generous for a loaded 2-core machine
    }

    [Fact]
    public void MissingCamera_ReportsReconnectingNamingTheCamera_AndDisposesPromptly()
    {
        using var worker = new CaptureWorker(SourceSpec.Parse("7"), FastReconnect);
        Assert.True(WaitUntil(() => worker.Status.State == CaptureState.Reconnecting, TimeSpan.FromSeconds(10)), $"status {worker.Status}");
        CaptureStatus status = worker.Status;
        Assert.Contains("Camera 7 not found", status.Message);
        Assert.Contains("attempt", status.Message);
        Assert.False(worker.Frames.TryTake(out _));
        var clock = Stopwatch.StartNew();
        worker.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {clock.Elapsed}");
        Assert.Equal(CaptureState.Ended, worker.Status.State);
    }

    [Fact]
    public void PipelineThatEnds_IsTreatedAsLost_ReopenedWithBackoff_AndFramesArriveAgain()
    {
        var source = SourceSpec.Parse("gst:videotestsrc num-buffers=30 pattern=blue ! video/x-raw,width=64,height=48 ! videoconvert ! appsink sync=false");
        using var worker = new CaptureWorker(source, FastReconnect with { Lossless = true });
        var sequences = new List<long>();
        bool sawReconnecting = false;
        var clock = Stopwatch.StartNew();
        while (sequences.Count < 75 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            sawReconnecting |= worker.Status.State == CaptureState.Reconnecting;
            using CapturedFrame? frame = worker.Frames.WaitToTake(TimeSpan.FromMilliseconds(100));
            if (frame is null) continue;
            AssertColour((255, 0, 0), CentreMean(frame), 3, "videotestsrc pattern=blue");
            sequences.Add(frame.Sequence);
        }
        Assert.True(sequences.Count == 75, $"expected 75 frames across reopenings; got {sequences.Count}; status {worker.Status}");
        Assert.Equal(Enumerable.Range(0, 75).Select(i => (long)i), sequences); // lossless: no gaps, numbering continues
        Assert.True(worker.Status.ReconnectCount >= 2, $"30 buffers per run, 75 frames: at least 2 reopenings; status {worker.Status}");
        Assert.True(sawReconnecting || worker.Status.ReconnectCount >= 2);
    }

    [Fact]
    public void LostSourceMessage_SaysWhenItRetries()
    {
        var source = SourceSpec.Parse("gst:videotestsrc num-buffers=3 ! video/x-raw,width=32,height=24 ! videoconvert ! appsink");
        using var worker = new CaptureWorker(source, new CaptureOptions { ReconnectInitialDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(5) });
        Assert.True(WaitUntil(() => worker.Status.State == CaptureState.Reconnecting, TimeSpan.FromSeconds(10)), $"status {worker.Status}");
        Assert.Matches(@"^Source lost: GStreamer: .* reconnecting in 2\.0 s \(attempt 1\)$", worker.Status.Message);
        var clock = Stopwatch.StartNew();
        worker.Dispose(); // interrupts the 2 s backoff
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Dispose took {clock.Elapsed}");
    }

    [Fact]
    public void BrokenPipeline_ReportsGStreamerFailureAndKeepsRetrying()
    {
        using var worker = new CaptureWorker(SourceSpec.Parse("gst:no_such_element ! appsink"), FastReconnect);
        Assert.True(WaitUntil(() => worker.Status is { State: CaptureState.Reconnecting, ReconnectCount: >= 1 }, TimeSpan.FromSeconds(10)), $"status {worker.Status}");
        Assert.Contains("GStreamer could not start the pipeline", worker.Status.Message);
    }

    [Fact]
    public void UnreachableUrl_ReportsItCannotConnectAndRetries()
    {
        // Port 9 (discard) on the loopback: nothing listens, so the connection is refused at once.
        using var worker = new CaptureWorker(SourceSpec.Parse("http://127.0.0.1:9/stream.mjpg"), FastReconnect with { NetworkTimeout = TimeSpan.FromSeconds(2) });
        Assert.True(WaitUntil(() => worker.Status is { State: CaptureState.Reconnecting, ReconnectCount: >= 1 }, TimeSpan.FromSeconds(20)), $"status {worker.Status}");
        Assert.Contains("Could not connect to http://127.0.0.1:9/stream.mjpg", worker.Status.Message);
    }

    [Fact]
    public void BackoffDoublesFromTheInitialDelayUpToTheCap()
    {
        var options = new CaptureOptions();
        double[] delays = [.. Enumerable.Range(1, 8).Select(a => options.ReconnectDelay(a).TotalSeconds)];
        Assert.Equal([0.25, 0.5, 1, 2, 4, 5, 5, 5], delays);
    }
}
