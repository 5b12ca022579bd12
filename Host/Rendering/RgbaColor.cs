using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Rendering;

/// <summary>A straight-alpha colour with components in [0, 1], as the overlay shader takes it.</summary>
public readonly record struct RgbaColor(float R, float G, float B, float A = 1f)
{
    /// <summary>From 8-bit components, e.g. <c>FromBytes(0x4C, 0xD9, 0x64)</c>.</summary>
    public static RgbaColor FromBytes(byte r, byte g, byte b, float alpha = 1f) => new(r / 255f, g / 255f, b / 255f, alpha);

    public static RgbaColor From(RgbColor color, float alpha = 1f) => FromBytes(color.R, color.G, color.B, alpha);

    public RgbaColor WithAlpha(float alpha) => this with { A = alpha };

    /// <summary>The 8-bit colour this is when drawn opaque (what a read-back of an opaque pixel gives).</summary>
    public RgbColor ToRgb() => new(ToByte(R), ToByte(G), ToByte(B));

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0, 255);
}
