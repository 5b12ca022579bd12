using System.Buffers.Binary;

namespace VisionPlugin.Imaging;

/// <summary>PNG colour types (IHDR byte 9).</summary>
internal enum PngColorType : byte
{
    /// <summary>One grey sample per pixel; bit depths 1, 2, 4, 8, 16.</summary>
    Grey = 0,

    /// <summary>Red, green, blue; bit depths 8, 16.</summary>
    Rgb = 2,

    /// <summary>One palette index per pixel (PLTE, optional tRNS); bit depths 1, 2, 4, 8.</summary>
    Palette = 3,

    /// <summary>Grey and alpha; bit depths 8, 16.</summary>
    GreyAlpha = 4,

    /// <summary>Red, green, blue, alpha; bit depths 8, 16.</summary>
    Rgba = 6,
}

/// <summary>One reduced image of a PNG: the whole image, or one of the seven Adam7 passes.</summary>
/// <param name="StartX">Column of the pass's first pixel in the full image.</param>
/// <param name="StartY">Row of the pass's first row in the full image.</param>
/// <param name="StepX">Columns between the pass's pixels.</param>
/// <param name="StepY">Rows between the pass's rows.</param>
/// <param name="Width">Pixels per row of the pass (0: the pass is empty and has no bytes at all).</param>
/// <param name="Height">Rows of the pass.</param>
internal readonly record struct PngPass(int StartX, int StartY, int StepX, int StepY, int Width, int Height);

/// <summary>
/// The IHDR chunk, validated: <c>width u32, height u32, bit depth, colour type, compression (0), filter
/// method (0), interlace (0 none, 1 Adam7)</c>, and the byte geometry that follows from it.
/// </summary>
internal sealed record PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    // Adam7 (PNG spec 8.2): start column, start row, column step, row step of passes 1..7.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Samples per pixel: 1 grey or palette index, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels => ColorType switch
    {
        PngColorType.Grey or PngColorType.Palette => 1,
        PngColorType.GreyAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    /// <summary>Bits per pixel (1 for 1-bit grey up to 64 for 16-bit RGBA).</summary>
    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>The filters' "bytes per complete pixel", at least 1 (PNG spec 9.2).</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes of one row of <paramref name="pixels"/> pixels, without the filter byte.</summary>
    public long RowBytes(int pixels) => ((long)pixels * BitsPerPixel + 7) / 8;

    /// <summary>The reduced images in file order: one for a plain image, the non-empty Adam7 passes for an interlaced one.</summary>
    public IEnumerable<PngPass> Passes()
    {
        if (!Interlaced)
        {
            yield return new PngPass(0, 0, 1, 1, Width, Height);
            yield break;
        }
        foreach (var (x, y, dx, dy) in Adam7)
        {
            int width = Width > x ? (Width - x + dx - 1) / dx : 0;
            int height = Height > y ? (Height - y + dy - 1) / dy : 0;
            if (width > 0 && height > 0) yield return new PngPass(x, y, dx, dy, width, height);
        }
    }

    /// <summary>Bytes the zlib stream must inflate to: every row of every pass, each with its filter byte.</summary>
    public long InflatedLength() => Passes().Sum(pass => pass.Height * (1 + RowBytes(pass.Width)));

    /// <summary>Parses and validates IHDR data, checking the dimensions against <paramref name="limits"/>.</summary>
    /// <exception cref="ImageFormatException">A field is invalid or the size is beyond the limits.</exception>
    public static PngHeader Parse(ReadOnlySpan<byte> data, string fileName, ImageDecodeLimits limits)
    {
        if (data.Length != 13) throw PngDecoder.Error(fileName, $"IHDR chunk has {data.Length} bytes of data; it must have 13");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data), height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width > int.MaxValue || height > int.MaxValue)
            throw PngDecoder.Error(fileName, $"IHDR gives {width}x{height}; PNG sides are at most 2^31-1");
        limits.Check(width, height, fileName, PngDecoder.FormatId);
        byte bitDepth = data[8], colorType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        bool validDepth = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => throw PngDecoder.Error(fileName, $"IHDR colour type {colorType} is not one of 0, 2, 3, 4, 6"),
        };
        if (!validDepth)
            throw PngDecoder.Error(fileName, $"IHDR bit depth {bitDepth} is not allowed with colour type {colorType} ({(PngColorType)colorType})");
        if (compression != 0) throw PngDecoder.Error(fileName, $"IHDR compression method {compression} is unknown (only 0, deflate)");
        if (filter != 0) throw PngDecoder.Error(fileName, $"IHDR filter method {filter} is unknown (only 0, adaptive)");
        if (interlace > 1) throw PngDecoder.Error(fileName, $"IHDR interlace method {interlace} is unknown (only 0 none, 1 Adam7)");
        return new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType, interlace == 1);
    }
}
