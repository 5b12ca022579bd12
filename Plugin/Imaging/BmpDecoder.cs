using System.Buffers.Binary;
using System.Numerics;

namespace VisionPlugin.Imaging;

/// <summary>
/// Decodes uncompressed Windows bitmaps: 24-bit BGR and 32-bit BGRA/BGRX, bottom-up (positive height,
/// the usual layout) or top-down (negative height), with a BITMAPINFOHEADER (40 bytes) or its V2-V5
/// extensions (52, 56, 108, 124 bytes). 32-bit files may use BI_BITFIELDS / BI_ALPHABITFIELDS when each
/// mask selects one whole byte. Rows are padded to 4 bytes. Palette (1/4/8-bit), 16-bit, RLE, embedded
/// JPEG/PNG and OS/2 headers are refused with a message saying so.
/// </summary>
/// <remarks>
/// Alpha: with an alpha mask the alpha byte is used. A plain 32-bit BI_RGB file's fourth byte is
/// "reserved" and most writers leave it 0; as browsers do, it is used as alpha only when some pixel has
/// a non-zero value there, otherwise the image is opaque (<see cref="DecodedImage.HasAlpha"/> false).
/// </remarks>
public sealed class BmpDecoder : IImageDecoder
{
    private const string FormatId = "BMP";
    private const int FileHeaderBytes = 14;

    /// <inheritdoc/>
    public string FormatName => FormatId;

    /// <inheritdoc/>
    /// <remarks>"BM" followed, at byte 14, by a DIB header size this decoder knows, so text starting with "BM" is not mistaken for a bitmap.</remarks>
    public bool CanDecode(ReadOnlySpan<byte> header) =>
        header.Length >= 18 && header[0] == (byte)'B' && header[1] == (byte)'M'
        && BinaryPrimitives.ReadUInt32LittleEndian(header[14..]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;

    /// <inheritdoc/>
    public DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(limits);
        if (file.Length < FileHeaderBytes + 4 || file[0] != (byte)'B' || file[1] != (byte)'M')
            throw Error(fileName, $"file is {file.Length} bytes and does not start with a BMP file header (\"BM\" + 12 bytes + DIB header)");
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(file[14..]);
        if (headerSize is 12 or 16 or 64)
            throw Error(fileName, $"OS/2 bitmap header ({headerSize} bytes) is not supported; only BITMAPINFOHEADER (40) and V2-V5");
        if (headerSize is not (40 or 52 or 56 or 108 or 124))
            throw Error(fileName, $"DIB header size {headerSize} is unknown (expected 40, 52, 56, 108 or 124)");
        if (file.Length < FileHeaderBytes + 40)
            throw Error(fileName, $"file ends inside the {headerSize}-byte DIB header (file is {file.Length} bytes; truncated)");
        ReadOnlySpan<byte> info = file[FileHeaderBytes..];
        int width = BinaryPrimitives.ReadInt32LittleEndian(info[4..]);
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
        ushort planes = BinaryPrimitives.ReadUInt16LittleEndian(info[12..]);
        ushort bitCount = BinaryPrimitives.ReadUInt16LittleEndian(info[14..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(info[16..]);

        if (rawHeight == int.MinValue) throw Error(fileName, $"height {rawHeight} is invalid");
        bool topDown = rawHeight < 0;
        int height = Math.Abs(rawHeight);
        limits.Check(width, height, fileName, FormatId);
        if (planes != 1) throw Error(fileName, $"plane count is {planes}; it must be 1");
        if (bitCount is not (24 or 32))
            throw Error(fileName, $"{bitCount}-bit{(bitCount <= 8 ? " palette" : "")} pixels are not supported; only uncompressed 24- and 32-bit");
        string? compressionName = compression switch { 0 => null, 1 => "RLE8", 2 => "RLE4", 3 => null, 4 => "JPEG", 5 => "PNG", 6 => null, _ => $"method {compression}" };
        if (compressionName is not null)
            throw Error(fileName, $"{compressionName} compression is not supported; only uncompressed (BI_RGB, BI_BITFIELDS)");
        bool bitFields = compression is 3 or 6;
        if (bitFields && bitCount != 32) throw Error(fileName, $"bit-field masks with {bitCount}-bit pixels are not supported; only with 32-bit");

        // Byte position (0..3, little-endian) of each channel in a 32-bit pixel; -1: no alpha channel.
        int red = 2, green = 1, blue = 0, alpha = bitCount == 32 ? 3 : -1;
        bool alphaFromMask = false;
        if (bitFields)
        {
            int maskCount = compression == 6 || headerSize >= 56 ? 4 : 3;
            if (file.Length < FileHeaderBytes + 40 + 4 * maskCount) throw Error(fileName, "file ends inside the bit-field masks (truncated)");
            ReadOnlySpan<byte> masks = file[(FileHeaderBytes + 40)..];
            red = MaskByte(BinaryPrimitives.ReadUInt32LittleEndian(masks), "red", fileName);
            green = MaskByte(BinaryPrimitives.ReadUInt32LittleEndian(masks[4..]), "green", fileName);
            blue = MaskByte(BinaryPrimitives.ReadUInt32LittleEndian(masks[8..]), "blue", fileName);
            uint alphaMask = maskCount == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(masks[12..]) : 0;
            alpha = alphaMask == 0 ? -1 : MaskByte(alphaMask, "alpha", fileName);
            alphaFromMask = alpha >= 0;
            if (red == green || red == blue || green == blue || (alpha >= 0 && (alpha == red || alpha == green || alpha == blue)))
                throw Error(fileName, "bit-field masks overlap");
        }

        int bytesPerPixel = bitCount / 8;
        long stride = ((long)width * bitCount + 31) / 32 * 4;
        long needed = pixelOffset + stride * (height - 1) + (long)width * bytesPerPixel;
        if (pixelOffset < FileHeaderBytes + 40 || pixelOffset > file.Length)
            throw Error(fileName, $"pixel data offset {pixelOffset} lies outside the file ({file.Length} bytes)");
        if (needed > file.Length)
            throw Error(fileName, $"pixel data is truncated: {width}x{height} {bitCount}-bit rows need {needed - pixelOffset} bytes from byte {pixelOffset}; the file has {file.Length - pixelOffset}");

        var rgba = new byte[(long)width * height * DecodedImage.BytesPerPixel];
        bool anyAlpha = false;
        for (int y = 0; y < height; y++)
        {
            int sourceRow = topDown ? y : height - 1 - y;
            ReadOnlySpan<byte> row = file.Slice((int)(pixelOffset + stride * sourceRow), width * bytesPerPixel);
            Span<byte> target = rgba.AsSpan(y * width * 4, width * 4);
            for (int x = 0, s = 0, d = 0; x < width; x++, s += bytesPerPixel, d += 4)
            {
                target[d] = row[s + red];
                target[d + 1] = row[s + green];
                target[d + 2] = row[s + blue];
                byte a = alpha >= 0 ? row[s + alpha] : (byte)255;
                target[d + 3] = a;
                anyAlpha |= a != 0;
            }
        }
        bool hasAlpha = alphaFromMask || (alpha >= 0 && anyAlpha);
        if (!hasAlpha)
            for (int i = 3; i < rgba.Length; i += 4) rgba[i] = 255;
        return DecodedImage.Own(width, height, rgba, hasAlpha, FormatId);
    }

    private static ImageFormatException Error(string fileName, string problem) => new(fileName, FormatId, problem);

    // A mask this decoder accepts selects exactly one byte of the little-endian pixel: 0xFF << (8 * k).
    private static int MaskByte(uint mask, string channel, string fileName)
    {
        int shift = BitOperations.TrailingZeroCount(mask);
        if (mask == 0 || shift % 8 != 0 || mask >> shift != 0xFF)
            throw Error(fileName, $"{channel} bit-field mask 0x{mask:X8} is not supported; only masks selecting one whole byte");
        return shift / 8;
    }
}
