using System.Diagnostics;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// A hand-over slot of capacity 1 between a capture thread and a consumer where the newest frame wins: <see cref="Write"/>
/// never blocks; a frame still unread when the next arrives is disposed (its buffer goes back to the pool) and counted in
/// <see cref="DroppedCount"/>. <see cref="WriteWhenEmpty"/> is the lossless alternative for scripted runs: it waits until the
/// consumer took the previous frame. The channel owns frames until they are taken; the taker owns them after.
/// Thread-safe for one writer and any number of takers.
/// </summary>
public sealed class LatestFrameChannel : IDisposable
{
    private readonly object _gate = new(); // a Monitor (not System.Threading.Lock): Wait/PulseAll need it
    private CapturedFrame? _slot;
    private bool _completed;
    private long _dropped;
    private long _written;

    /// <summary>Frames replaced before anyone took them.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Frames accepted by <see cref="Write"/> or <see cref="WriteWhenEmpty"/>.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>True once <see cref="Complete"/> was called and the last frame was taken: nothing more will arrive.</summary>
    public bool IsCompleted { get { lock (_gate) return _completed && _slot is null; } }

    /// <summary>Puts <paramref name="frame"/> in the slot, disposing an unread one. After <see cref="Complete"/> the frame is disposed and false returned.</summary>
    public bool Write(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CapturedFrame? replaced;
        lock (_gate)
        {
            if (_completed) replaced = frame;
            else
            {
                replaced = _slot;
                _slot = frame;
                _written++;
                if (replaced is not null) _dropped++;
                Monitor.PulseAll(_gate);
            }
        }
        replaced?.Dispose();
        return !ReferenceEquals(replaced, frame);
    }

    /// <summary>
    /// Waits until the slot is empty, then puts <paramref name="frame"/> there (no frame is ever dropped). Returns false —
    /// and disposes the frame — when the channel is completed or <paramref name="cancellation"/> fires first.
    /// </summary>
    public bool WriteWhenEmpty(CapturedFrame frame, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using (cancellation.Register(PulseAll))
        {
            lock (_gate)
            {
                while (_slot is not null && !_completed && !cancellation.IsCancellationRequested) Monitor.Wait(_gate);
                if (!_completed && !cancellation.IsCancellationRequested)
                {
                    _slot = frame;
                    _written++;
                    Monitor.PulseAll(_gate);
                    return true;
                }
            }
        }
        frame.Dispose();
        return false;
    }

    /// <summary>Takes the waiting frame, if any, without blocking. The caller owns (and disposes) it.</summary>
    public bool TryTake(out CapturedFrame? frame)
    {
        lock (_gate)
        {
            frame = _slot;
            _slot = null;
            if (frame is not null) Monitor.PulseAll(_gate);
        }
        return frame is not null;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a frame and takes it; null on timeout or when the channel is completed
    /// and empty (<see cref="IsCompleted"/> tells which).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public CapturedFrame? WaitToTake(TimeSpan timeout, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        using (cancellation.Register(PulseAll))
        {
            lock (_gate)
            {
                while (true)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (_slot is { } frame)
                    {
                        _slot = null;
                        Monitor.PulseAll(_gate);
                        return frame;
                    }
                    TimeSpan left = timeout - clock.Elapsed;
                    if (_completed || left <= TimeSpan.Zero) return null;
                    Monitor.Wait(_gate, left);
                }
            }
        }
    }

    /// <summary>No more frames will be written; a waiting frame can still be taken. Wakes every waiter.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Completes the channel and disposes an unread frame. Idempotent.</summary>
    public void Dispose()
    {
        CapturedFrame? unread;
        lock (_gate)
        {
            _completed = true;
            unread = _slot;
            _slot = null;
            Monitor.PulseAll(_gate);
        }
        unread?.Dispose();
    }

    private void PulseAll()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
