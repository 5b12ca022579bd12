using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.FineTuning;

/// <summary>
/// One captured training image, kept on the CPU as RGBA8 with its longer side at most
/// <see cref="MaxSide"/> (larger frames are shrunk by area averaging), so hundreds of samples stay small.
/// </summary>
public sealed class SampleImage
{
    /// <summary>Longest side kept; the network sees 224x224, so a little margin remains for crops.</summary>
    public const int MaxSide = 256;

    private byte[]? _onWhite;

    private SampleImage(byte[] rgba, int width, int height, bool hasAlpha)
    {
        Rgba = rgba;
        Width = width;
        Height = height;
        HasAlpha = hasAlpha;
    }

    /// <summary>RGBA8 pixels, rows of Width * 4 bytes.</summary>
    public byte[] Rgba { get; }
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>True when some pixel is not opaque (a cut-out).</summary>
    public bool HasAlpha { get; }

    /// <summary>The image composited onto white, as RGB8 (what the network sees without augmentation).</summary>
    public Frame OnWhite()
    {
        _onWhite ??= Composite();
        return Frame.Packed(_onWhite, Width, Height, PixelFormat.Rgb24);
    }

    /// <summary>Converts (and if needed shrinks) a frame of any supported layout.</summary>
    /// <param name="frame">The source pixels.</param>
    public static SampleImage FromFrame(Frame frame)
    {
        int bpp = frame.Format.BytesPerPixel();
        var (ro, go, bo) = frame.Format.ChannelOffsets();
        ReadOnlySpan<byte> src = frame.Pixels.Span;
        var rgba = new byte[frame.Width * frame.Height * 4];
        bool alpha = false;
        for (int y = 0; y < frame.Height; y++)
        for (int x = 0; x < frame.Width; x++)
        {
            int s = y * frame.Stride + x * bpp, d = (y * frame.Width + x) * 4;
            rgba[d] = src[s + ro];
            rgba[d + 1] = src[s + go];
            rgba[d + 2] = src[s + bo];
            byte a = frame.Format is PixelFormat.Rgba32 or PixelFormat.Bgra32 ? src[s + 3] : (byte)255;
            rgba[d + 3] = a;
            alpha |= a != 255;
        }
        return Shrink(rgba, frame.Width, frame.Height, alpha);
    }

    /// <summary>Wraps RGBA8 pixels (taking ownership), shrinking them if the longer side exceeds <see cref="MaxSide"/>.</summary>
    /// <param name="rgba">Pixels, rows of width * 4 bytes.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static SampleImage FromRgba(byte[] rgba, int width, int height)
    {
        if (rgba.Length != width * height * 4) throw new ArgumentException($"RGBA8 {width}x{height} needs {width * height * 4} bytes; got {rgba.Length}.", nameof(rgba));
        bool alpha = false;
        for (int i = 3; i < rgba.Length && !alpha; i += 4) alpha = rgba[i] != 255;
        return Shrink(rgba, width, height, alpha);
    }

    /// <summary>Area-averaging downscale (alpha-weighted colours) so the longer side is at most <see cref="MaxSide"/>.</summary>
    private static SampleImage Shrink(byte[] rgba, int width, int height, bool alpha)
    {
        int longer = Math.Max(width, height);
        if (longer <= MaxSide) return new SampleImage(rgba, width, height, alpha);
        double scale = (double)longer / MaxSide;
        int w = Math.Max(1, (int)Math.Round(width / scale)), h = Math.Max(1, (int)Math.Round(height / scale));
        var result = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int x0 = x * width / w, x1 = Math.Max(x0 + 1, (x + 1) * width / w);
            int y0 = y * height / h, y1 = Math.Max(y0 + 1, (y + 1) * height / h);
            double r = 0, g = 0, b = 0, a = 0;
            int count = 0;
            for (int sy = y0; sy < y1; sy++)
            for (int sx = x0; sx < x1; sx++)
            {
                int s = (sy * width + sx) * 4;
                double weight = rgba[s + 3];
                r += rgba[s] * weight; g += rgba[s + 1] * weight; b += rgba[s + 2] * weight; a += weight;
                count++;
            }
            int d = (y * w + x) * 4;
            if (a > 0)
            {
                result[d] = (byte)Math.Round(r / a); result[d + 1] = (byte)Math.Round(g / a); result[d + 2] = (byte)Math.Round(b / a);
            }
            result[d + 3] = (byte)Math.Round(a / count);
        }
        return new SampleImage(result, w, h, alpha);
    }

    private byte[] Composite()
    {
        var rgb = new byte[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
        {
            int a = Rgba[4 * i + 3];
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = (byte)((Rgba[4 * i + c] * a + 255 * (255 - a) + 127) / 255);
        }
        return rgb;
    }
}
