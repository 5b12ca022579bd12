using VisionPlugin.Engine;

namespace VisionPlugin.Host.Live;

/// <summary>
/// Watches the context's live GPU buffers (count and bytes) over a run: the figures after warm-up
/// (frame <see cref="WarmupFrames"/>), the maximum since, and the last — a soak shows they stay flat.
/// </summary>
internal sealed class GpuMemoryWatch(GpuContext context)
{
    public const int WarmupFrames = 100;

    public long WarmBuffers { get; private set; } = -1;
    public long WarmBytes { get; private set; } = -1;
    public long MaxBuffers { get; private set; }
    public long MaxBytes { get; private set; }
    public long LastBuffers { get; private set; }
    public long LastBytes { get; private set; }

    /// <summary>Records the figures after frame <paramref name="frames"/>.</summary>
    public void Sample(long frames)
    {
        LastBuffers = context.LiveBufferCount;
        LastBytes = context.LiveBufferBytes;
        if (frames < WarmupFrames) return;
        if (WarmBuffers < 0) (WarmBuffers, WarmBytes) = (LastBuffers, LastBytes);
        MaxBuffers = Math.Max(MaxBuffers, LastBuffers);
        MaxBytes = Math.Max(MaxBytes, LastBytes);
    }
}

/// <summary>The stop conditions a run shares between window and headless.</summary>
internal static class LiveLimits
{
    public static bool Reached(LiveAppOptions options, long frames, LiveFrameProcessor processor) =>
        (options.MaxFrames is { } max && frames >= max) ||
        (options.MaxDuration is { } duration && processor.Elapsed >= duration.TotalSeconds) ||
        (options.Until is { } until && until(processor.Session));
}
