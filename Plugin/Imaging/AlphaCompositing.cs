using VisionPlugin.Visualization;

namespace VisionPlugin.Imaging;

/// <summary>Flattens RGBA8 images onto an opaque background: <c>out = (c * a + background * (255 - a)) / 255</c>, rounded.</summary>
public static class AlphaCompositing
{
    /// <summary>The image laid over <paramref name="background"/>, as RGB8 (3 bytes per pixel, top row first).</summary>
    /// <param name="image">The source.</param>
    /// <param name="background">The colour transparent pixels show (white in <see cref="ImageFolderOptions"/>).</param>
    /// <returns>width * height * 3 bytes.</returns>
    public static byte[] ToRgb(DecodedImage image, RgbColor background)
    {
        ArgumentNullException.ThrowIfNull(image);
        ReadOnlySpan<byte> rgba = image.Pixels.Span;
        var rgb = new byte[(long)image.Width * image.Height * 3];
        for (int s = 0, d = 0; d < rgb.Length; s += 4, d += 3)
        {
            int a = rgba[s + 3], inverse = 255 - a;
            rgb[d] = (byte)((rgba[s] * a + background.R * inverse + 127) / 255);
            rgb[d + 1] = (byte)((rgba[s + 1] * a + background.G * inverse + 127) / 255);
            rgb[d + 2] = (byte)((rgba[s + 2] * a + background.B * inverse + 127) / 255);
        }
        return rgb;
    }
}
