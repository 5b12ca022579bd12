namespace VisionPlugin.Host.SampleVideo;

/// <summary>One labelled run of frames in a built sample video.</summary>
/// <param name="Label">The class of every frame in the run.</param>
/// <param name="FirstFrame">Index of the run's first frame.</param>
/// <param name="LastFrame">Index of the run's last frame (inclusive).</param>
/// <param name="Source">The image the frames were cut from.</param>
/// <param name="Package">The Debian package of <paramref name="Source"/>, or null.</param>
/// <param name="Licence">The image's licence.</param>
/// <param name="Credit">Author and year.</param>
public sealed record SampleVideoSegment(string Label, int FirstFrame, int LastFrame, string Source, string? Package, string Licence, string Credit)
{
    /// <summary>Frames in the run.</summary>
    public int FrameCount => LastFrame - FirstFrame + 1;

    /// <summary>Whether <paramref name="frameIndex"/> lies in the run.</summary>
    public bool Contains(int frameIndex) => frameIndex >= FirstFrame && frameIndex <= LastFrame;

    /// <summary>
    /// The last frame of the capture part: the first ceil(FrameCount * <paramref name="captureFraction"/>) frames
    /// (at least one, and at least one frame is left for testing).
    /// </summary>
    public int LastCaptureFrame(double captureFraction) =>
        FirstFrame + Math.Clamp((int)Math.Ceiling(FrameCount * captureFraction), 1, Math.Max(1, FrameCount - 1)) - 1;
}
