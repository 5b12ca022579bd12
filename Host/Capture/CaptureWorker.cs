using System.Diagnostics;
using VisionPlugin.Host.Capture.Native;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// Reads a capture source on its own thread into a <see cref="LatestFrameChannel"/> (newest frame wins, or lossless with
/// <see cref="CaptureOptions.Lossless"/>); it never waits for the consumer otherwise. Live sources (cameras, URLs,
/// pipelines) that fail to open or stop delivering are reopened with exponential backoff; files and folders end or loop.
/// <see cref="Status"/> is readable from any thread. The consumer takes frames from <see cref="Frames"/> and disposes them.
/// Dispose stops the thread promptly (a native read that never returns is abandoned after <see cref="CaptureOptions.StopTimeout"/>).
/// </summary>
public sealed class CaptureWorker : IDisposable
{
    private readonly CaptureOptions _options;
    private readonly FramePool _pool;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private CaptureStatus _status;
    private long _framesRead;
    private int _reconnects;
    private int _width, _height;
    private double _fps;
    private int _disposed;

    /// <summary>Starts reading <paramref name="source"/> on a new background thread.</summary>
    public CaptureWorker(SourceSpec source, CaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _options = options ?? CaptureOptions.Default;
        _pool = _options.Pool ?? new FramePool();
        _status = new CaptureStatus(source.ToString(), CaptureState.Opening, $"Opening {source}", 0, 0, 0, 0, 0, 0);
        _thread = new Thread(Run) { IsBackground = true, Name = $"Capture {source}" };
        _thread.Start();
    }

    public SourceSpec Source { get; }

    /// <summary>Where frames arrive. Take them with TryTake/WaitToTake and dispose each one.</summary>
    public LatestFrameChannel Frames { get; } = new();

    /// <summary>The pool frames are rented from.</summary>
    public FramePool Pool => _pool;

    /// <summary>The latest status snapshot.</summary>
    public CaptureStatus Status => Volatile.Read(ref _status);

    private void Run()
    {
        CancellationToken stop = _stop.Token;
        int attempt = 0; // failed opens or losses in a row (the backoff exponent)
        bool firstOpen = true;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (!firstOpen) _reconnects++;
                firstOpen = false;
                IFrameSource source;
                try
                {
                    source = Source.Kind == SourceKind.ImageFolder ? ImageFolderSource.Open(Source, _options) : VideoCaptureSource.Open(Source, _options);
                }
                catch (Exception e) when (e is SourceUnavailableException or OpenCvException or IOException or UnauthorizedAccessException or DllNotFoundException)
                {
                    if (!Source.IsLive || e is DllNotFoundException) { Publish(CaptureState.Failed, e.Message); return; }
                    if (!Backoff(e.Message, ++attempt, stop)) break;
                    continue;
                }
                using (source)
                {
                    Publish(CaptureState.Running, "");
                    (bool ended, long framesThisOpen) = Pump(source, stop);
                    if (framesThisOpen > 0) attempt = 0;
                    if (stop.IsCancellationRequested) break;
                    if (Source.IsLive)
                    {
                        if (!Backoff($"Source lost: {Source} stopped delivering frames", ++attempt, stop)) break;
                        continue;
                    }
                    if (!ended) return; // Pump published Failed
                    if (!_options.Loop || framesThisOpen == 0)
                    {
                        Publish(CaptureState.Ended, framesThisOpen == 0 && _framesRead == 0 ? $"{Source} holds no frames" : $"End of {Source}");
                        return;
                    }
                }
            }
            Publish(CaptureState.Ended, "Stopped");
        }
        catch (Exception e)
        {
            Publish(CaptureState.Failed, $"{Source}: {e.Message}");
        }
        finally
        {
            Frames.Complete();
        }
    }

    // Reads until the source ends (true, count) or fails (false; publishes Failed) or stop fires.
    private (bool Ended, long Frames) Pump(IFrameSource source, CancellationToken stop)
    {
        long frames = 0;
        double pacedFps = _options.Paced && !Source.IsLive ? source.NominalFps : 0;
        TimeSpan pacingStart = _clock.Elapsed;
        TimeSpan windowStart = _clock.Elapsed;
        long windowFrames = 0;
        while (!stop.IsCancellationRequested)
        {
            CapturedFrame? frame;
            try
            {
                frame = source.Read(_pool, Interlocked.Read(ref _framesRead), _clock);
            }
            catch (Exception e) when (e is OpenCvException or IOException && !Source.IsLive)
            {
                Publish(CaptureState.Failed, $"Reading {Source} failed: {e.Message}");
                return (false, frames);
            }
            catch (OpenCvException)
            {
                return (true, frames); // a live source: treated as lost, reopened by the caller
            }
            if (frame is null) return (true, frames);
            if (pacedFps > 0)
            {
                TimeSpan due = pacingStart + TimeSpan.FromSeconds(frames / pacedFps);
                TimeSpan wait = due - _clock.Elapsed;
                if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait)) { frame.Dispose(); break; }
            }
            frames++;
            Interlocked.Increment(ref _framesRead);
            (_width, _height) = (frame.Width, frame.Height);
            if (_options.Lossless) { if (!Frames.WriteWhenEmpty(frame, stop)) break; }
            else Frames.Write(frame);

            windowFrames++;
            TimeSpan window = _clock.Elapsed - windowStart;
            if (window >= TimeSpan.FromSeconds(0.5) || frames == 1)
            {
                if (frames > 1) _fps = windowFrames / window.TotalSeconds;
                (windowStart, windowFrames) = (_clock.Elapsed, 0);
                Publish(CaptureState.Running, source.Warning ?? "");
            }
        }
        return (true, frames);
    }

    // Waits before reconnect attempt `attempt`, publishing why; false when stop fired during the wait.
    private bool Backoff(string reason, int attempt, CancellationToken stop)
    {
        TimeSpan delay = _options.ReconnectDelay(attempt);
        Publish(CaptureState.Reconnecting, $"{reason}; reconnecting in {delay.TotalSeconds:F1} s (attempt {attempt})");
        _fps = 0;
        return !stop.WaitHandle.WaitOne(delay);
    }

    private void Publish(CaptureState state, string message) =>
        Volatile.Write(ref _status, new CaptureStatus(Source.ToString(), state, message, _fps, _width, _height,
            Interlocked.Read(ref _framesRead), Frames.DroppedCount, _reconnects));

    /// <summary>Stops the thread (waiting up to <see cref="CaptureOptions.StopTimeout"/>) and disposes an unread frame. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        Frames.Complete();
        bool joined = _thread.Join(_options.StopTimeout);
        Frames.Dispose();
        if (joined) _stop.Dispose();
        else Volatile.Write(ref _status, Status with { Message = $"The capture thread of {Source} did not stop within {_options.StopTimeout.TotalSeconds:F1} s (blocked in a native read); abandoned." });
    }
}
