namespace VisionPlugin.Visualization;

/// <summary>An opaque 8-bit-per-channel sRGB color.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>#000000.</summary>
    public static RgbColor Black => new(0, 0, 0);

    /// <summary>#FFFFFF.</summary>
    public static RgbColor White => new(255, 255, 255);

    /// <summary>
    /// Ten distinguishable series colors (the "tab10" palette: blue, orange, green, red, purple,
    /// brown, pink, grey, olive, cyan), in the order plots assign them.
    /// </summary>
    public static IReadOnlyList<RgbColor> SeriesPalette { get; } =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>
    /// This color laid over <paramref name="background"/> with the given opacity:
    /// <c>result = coverage * this + (1 - coverage) * background</c>, per channel, rounded.
    /// </summary>
    /// <param name="background">The color underneath.</param>
    /// <param name="coverage">Opacity in [0, 1]; values outside are clamped.</param>
    public RgbColor Over(RgbColor background, double coverage)
    {
        double a = Math.Clamp(coverage, 0, 1);
        return new RgbColor(Mix(R, background.R, a), Mix(G, background.G, a), Mix(B, background.B, a));
    }

    /// <summary>"#RRGGBB".</summary>
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";

    private static byte Mix(byte top, byte bottom, double a) => (byte)Math.Round(a * top + (1 - a) * bottom);
}
