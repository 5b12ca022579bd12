using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Rendering;

/// <summary>Colours and proportions of the overlay. Sizes scale with the target height so the HUD reads the same at 640x480 and 1920x1080.</summary>
public static class HudTheme
{
    public static readonly RgbColor LetterboxBars = new(14, 15, 18);
    public static readonly RgbaColor Panel = new(0.05f, 0.06f, 0.08f, 0.8f);
    public static readonly RgbaColor Text = new(0.96f, 0.97f, 0.98f);
    public static readonly RgbaColor DimText = new(0.66f, 0.70f, 0.75f);
    public static readonly RgbaColor BarTrack = new(1f, 1f, 1f, 0.14f);
    public static readonly RgbaColor Warning = RgbaColor.FromBytes(255, 184, 0);
    public static readonly RgbaColor WarningText = RgbaColor.FromBytes(28, 20, 0);
    public static readonly RgbaColor Progress = RgbaColor.FromBytes(100, 210, 255);
    public static readonly RgbaColor MessagePanel = RgbaColor.FromBytes(18, 72, 130, 0.92f);
    public static readonly RgbaColor KeyBadge = new(1f, 1f, 1f, 0.18f);

    /// <summary>Bar colour of the prediction at each rank: green, blue, orange, purple, then grey.</summary>
    public static readonly IReadOnlyList<RgbaColor> RankColors =
    [
        RgbaColor.FromBytes(52, 199, 89),
        RgbaColor.FromBytes(10, 132, 255),
        RgbaColor.FromBytes(255, 159, 10),
        RgbaColor.FromBytes(191, 90, 242),
        RgbaColor.FromBytes(142, 142, 147),
    ];

    public static RgbaColor RankColor(int rank) => RankColors[Math.Min(rank, RankColors.Count - 1)];

    /// <summary>
    /// Text line height for a target: 1/27 of its height (of 3/4 of its width when that is smaller, so portrait
    /// targets keep room for two columns), 12..48 pixels. 640x480 gives 18, 1280x720 gives 27.
    /// </summary>
    public static int LineHeightFor(int targetWidth, int targetHeight) =>
        Math.Clamp((int)MathF.Round(MathF.Min(targetHeight, 0.75f * targetWidth) / 27f), 12, 48);
}
