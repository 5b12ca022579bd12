namespace VisionPlugin.Host.Live;

/// <summary>One labelled stretch of a video: frames <see cref="FirstFrame"/>..<see cref="LastFrame"/> (inclusive) show <see cref="Label"/>.</summary>
internal sealed record LabelledSegment(string Label, int FirstFrame, int LastFrame);

/// <summary>
/// The labelled segments of a video (the sample video's manifest) and which of their frames a scripted
/// session captures as training samples: the first <see cref="CaptureFraction"/> of each segment; the rest
/// is for live evaluation.
/// </summary>
internal sealed class SegmentTimeline
{
    public SegmentTimeline(IReadOnlyList<LabelledSegment> segments, double captureFraction)
    {
        if (segments.Count is < 2 or > 9) throw new ArgumentException($"A scripted session needs 2 to 9 segments (keys 1-9); got {segments.Count}.", nameof(segments));
        if (captureFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(captureFraction), captureFraction, "The capture fraction must be in (0, 1).");
        Segments = segments;
        CaptureFraction = captureFraction;
        Labels = [.. segments.Select(s => s.Label).Distinct()];
    }

    public IReadOnlyList<LabelledSegment> Segments { get; }

    public double CaptureFraction { get; }

    /// <summary>Distinct labels in order of first appearance (class k+1 is Labels[k]).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The segment showing frame <paramref name="frame"/>, if any.</summary>
    public LabelledSegment? SegmentAt(int frame) => Segments.FirstOrDefault(s => frame >= s.FirstFrame && frame <= s.LastFrame);

    /// <summary>Last frame of <paramref name="segment"/>'s capture part.</summary>
    public int LastCaptureFrame(LabelledSegment segment) =>
        segment.FirstFrame + Math.Max(0, (int)Math.Ceiling((segment.LastFrame - segment.FirstFrame + 1) * CaptureFraction) - 1);

    /// <summary>Frame <paramref name="frame"/> is in the capture part of its segment.</summary>
    public bool IsCaptureFrame(int frame) => SegmentAt(frame) is { } s && frame <= LastCaptureFrame(s);

    /// <summary>The key (1-9) of <paramref name="label"/>.</summary>
    public int KeyOf(string label) => Labels.ToList().IndexOf(label) + 1;
}
