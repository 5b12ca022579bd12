using System.Diagnostics;

namespace VisionPlugin.Host.Live;

/// <summary>Frames per second over a sliding window of the last second (or the last 60 frames).</summary>
internal sealed class FpsMeter
{
    private readonly Queue<double> _stamps = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Frames counted.</summary>
    public long Frames { get; private set; }

    /// <summary>Counts a frame now.</summary>
    public void Tick()
    {
        double now = _clock.Elapsed.TotalSeconds;
        _stamps.Enqueue(now);
        Frames++;
        while (_stamps.Count > 2 && (now - _stamps.Peek() > 1.0 || _stamps.Count > 60)) _stamps.Dequeue();
    }

    /// <summary>Current rate (0 until two frames were counted).</summary>
    public double FramesPerSecond => _stamps.Count < 2 ? 0 : (_stamps.Count - 1) / Math.Max(1e-6, _stamps.Last() - _stamps.Peek());
}
