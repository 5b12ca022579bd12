using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Host.Live;

namespace VisionPlugin.Host.Tests.Live;

/// <summary>
/// Frames of a labelled test "video": segment k shows a pattern of its own (stripes at an angle, a colour pair)
/// that moves a little from frame to frame, so captured and evaluated frames differ but stay recognisable.
/// </summary>
internal static class SyntheticVideo
{
    public const int Width = 96, Height = 72;

    public static readonly string[] Labels = ["red stripes", "green checks", "blue rings"];

    public static SegmentTimeline Timeline(int framesPerSegment, double captureFraction) =>
        new([.. Labels.Select((l, i) => new LabelledSegment(l, i * framesPerSegment, (i + 1) * framesPerSegment - 1))], captureFraction);

    /// <summary>BGR frame <paramref name="frame"/> of segment <paramref name="segment"/>.</summary>
    public static Frame FrameOf(int segment, int frame)
    {
        var bgr = new byte[Width * Height * 3];
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                double u = x + frame * 1.5, v = y + frame * 0.7;
                bool ink = segment switch
                {
                    0 => ((int)((u + v) / 8) & 1) == 0,
                    1 => (((int)(u / 12) + (int)(v / 12)) & 1) == 0,
                    _ => ((int)(Math.Sqrt((x - Width / 2.0) * (x - Width / 2.0) + (y - Height / 2.0) * (y - Height / 2.0)) / 6 + frame * 0.2) & 1) == 0,
                };
                (byte b, byte g, byte r) = (segment, ink) switch
                {
                    (0, true) => ((byte)30, (byte)30, (byte)220),
                    (1, true) => ((byte)40, (byte)200, (byte)40),
                    (2, true) => ((byte)210, (byte)90, (byte)20),
                    _ => ((byte)235, (byte)235, (byte)235),
                };
                int i = (y * Width + x) * 3;
                bgr[i] = b; bgr[i + 1] = g; bgr[i + 2] = r;
            }
        return Frame.Packed(bgr, Width, Height, PixelFormat.Bgr24);
    }
}
