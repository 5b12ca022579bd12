using System.Buffers.Binary;
using System.Text;
using VisionPlugin.Visualization;

namespace VisionPlugin.Imaging;

/// <summary>
/// A complete, defensive PNG decoder (PNG spec, 3rd edition, static images): colour types 0 (grey),
/// 2 (RGB), 3 (palette with PLTE and optional tRNS), 4 (grey+alpha) and 6 (RGBA) at every allowed bit
/// depth (1, 2, 4, 8, 16), tRNS transparent colours for grey and RGB, Adam7 interlacing and all five row
/// filters. Output is always RGBA8 (see <see cref="PngReconstructor"/> for how samples are scaled;
/// 16-bit samples are rounded to nearest). Ancillary chunks (gAMA, iCCP, tEXt, ...) are checked and
/// ignored: no gamma or colour-profile conversion is done.
/// </summary>
/// <remarks>
/// Hardening: every chunk's CRC is verified; chunk order is checked (IHDR first and once, PLTE before
/// tRNS and IDAT, IDAT chunks consecutive, IEND last and empty; unknown critical chunks refused); the
/// dimensions are checked against <see cref="ImageDecodeLimits"/> before anything image-sized is
/// allocated; inflation stops at the expected size (see <see cref="PngInflater"/>); truncation anywhere
/// is reported with the byte offset. Bytes after IEND are ignored, as libpng does. Every failure is an
/// <see cref="ImageFormatException"/>.
/// </remarks>
public sealed class PngDecoder : IImageDecoder
{
    /// <summary>The format name in messages and <see cref="DecodedImage.Format"/>.</summary>
    internal const string FormatId = "PNG";

    /// <inheritdoc/>
    public string FormatName => FormatId;

    /// <inheritdoc/>
    public bool CanDecode(ReadOnlySpan<byte> header) => header.StartsWith(PngWriter.Signature);

    /// <inheritdoc/>
    public DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(limits);
        CheckSignature(file, fileName);

        PngHeader? header = null;
        byte[] palette = new byte[256 * 4];
        int paletteCount = 0;
        int[]? transparentColor = null;
        bool hasTransparency = false, idatEnded = false;
        var idat = new List<(int Offset, int Length)>();
        long compressedLength = 0;

        for (int offset = PngWriter.Signature.Length, index = 0; ; index++)
        {
            int remaining = file.Length - offset;
            if (remaining == 0) throw Error(fileName, $"file ends after {index} chunks without an IEND chunk (truncated)");
            if (remaining < 12) throw Error(fileName, $"file ends inside the header of chunk #{index} at byte {offset} (truncated)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[offset..]);
            ReadOnlySpan<byte> typeBytes = file.Slice(offset + 4, 4);
            string type = ChunkType(typeBytes, offset, fileName);
            if (length > int.MaxValue) throw Error(fileName, $"chunk '{type}' at byte {offset} claims {length} bytes; PNG chunks hold at most 2^31-1");
            if (length > remaining - 12)
                throw Error(fileName, $"file ends inside chunk '{type}' at byte {offset}: it needs {length + 12} bytes, {remaining} are left (truncated)");
            ReadOnlySpan<byte> data = file.Slice(offset + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(offset + 8 + (int)length)..]);
            uint computed = Crc32.Append(Crc32.Compute(typeBytes), data);
            if (stored != computed)
                throw Error(fileName, $"CRC mismatch in chunk '{type}' at byte {offset} (stored 0x{stored:X8}, computed 0x{computed:X8}): the file is damaged");

            if (index == 0 && type != "IHDR") throw Error(fileName, $"the first chunk is '{type}'; it must be IHDR");
            switch (type)
            {
                case "IHDR":
                    if (index != 0) throw Error(fileName, $"second IHDR chunk at byte {offset}");
                    header = PngHeader.Parse(data, fileName, limits);
                    break;
                case "PLTE":
                    paletteCount = ReadPalette(data, header!, paletteCount, idat.Count > 0, hasTransparency, palette, offset, fileName);
                    break;
                case "tRNS":
                    transparentColor = ReadTransparency(data, header!, paletteCount, idat.Count > 0, hasTransparency, palette, offset, fileName);
                    hasTransparency = true;
                    break;
                case "IDAT":
                    if (idatEnded) throw Error(fileName, $"IDAT chunk at byte {offset} follows another chunk after the image data; IDAT chunks must be consecutive");
                    if (header!.ColorType == PngColorType.Palette && paletteCount == 0)
                        throw Error(fileName, "colour type 3 (palette) needs a PLTE chunk before the image data");
                    idat.Add((offset + 8, (int)length));
                    compressedLength += length;
                    break;
                case "IEND":
                    if (length != 0) throw Error(fileName, $"IEND chunk at byte {offset} has {length} bytes of data; it must be empty");
                    if (idat.Count == 0) throw Error(fileName, "no IDAT chunk: the file holds no image data");
                    return Finish(file, header!, idat, compressedLength, palette, paletteCount, transparentColor, hasTransparency, fileName);
                default:
                    if (char.IsAsciiLetterUpper(type[0])) throw Error(fileName, $"unknown critical chunk '{type}' at byte {offset}");
                    break;
            }
            if (type != "IDAT" && idat.Count > 0) idatEnded = true;
            offset += 12 + (int)length;
        }
    }

    /// <summary>An <see cref="ImageFormatException"/> for a PNG problem in <paramref name="fileName"/>.</summary>
    internal static ImageFormatException Error(string fileName, string problem, Exception? inner = null) => new(fileName, FormatId, problem, inner);

    private static void CheckSignature(ReadOnlySpan<byte> file, string fileName)
    {
        ReadOnlySpan<byte> signature = PngWriter.Signature;
        if (file.Length < signature.Length)
            throw Error(fileName, $"file is {file.Length} bytes, shorter than the 8-byte PNG signature (truncated)");
        if (file.StartsWith(signature)) return;
        // "\r\n" turned into "\n" (or the reverse) is the classic damage of a text-mode transfer.
        string hint = file[..4].SequenceEqual(signature[..4]) ? " (line endings altered by a text-mode transfer?)" : "";
        throw Error(fileName, $"wrong signature {Convert.ToHexString(file[..signature.Length])}; a PNG starts with 89504E470D0A1A0A{hint}");
    }

    private static string ChunkType(ReadOnlySpan<byte> typeBytes, int offset, string fileName)
    {
        foreach (byte b in typeBytes)
            if (!char.IsAsciiLetter((char)b))
                throw Error(fileName, $"chunk at byte {offset} has an invalid type {Convert.ToHexString(typeBytes)} (types are 4 ASCII letters): the file is damaged");
        return Encoding.ASCII.GetString(typeBytes);
    }

    // PLTE: 1..256 RGB entries; required for type 3, optional (a display hint) for 2 and 6, forbidden for 0 and 4.
    private static int ReadPalette(ReadOnlySpan<byte> data, PngHeader header, int paletteCount, bool afterIdat, bool afterTransparency,
        byte[] palette, int offset, string fileName)
    {
        if (paletteCount > 0) throw Error(fileName, $"second PLTE chunk at byte {offset}");
        if (afterIdat) throw Error(fileName, $"PLTE chunk at byte {offset} comes after the image data; it must precede IDAT");
        if (afterTransparency) throw Error(fileName, $"PLTE chunk at byte {offset} comes after tRNS; it must precede it");
        if (header.ColorType is PngColorType.Grey or PngColorType.GreyAlpha)
            throw Error(fileName, $"PLTE chunk at byte {offset} is not allowed with colour type {(int)header.ColorType} ({header.ColorType})");
        if (data.Length == 0 || data.Length % 3 != 0 || data.Length > 256 * 3)
            throw Error(fileName, $"PLTE chunk has {data.Length} bytes; it must hold 1 to 256 RGB entries (a multiple of 3 bytes)");
        int count = data.Length / 3;
        if (header.ColorType == PngColorType.Palette && count > 1 << header.BitDepth)
            throw Error(fileName, $"PLTE has {count} entries, more than a {header.BitDepth}-bit index can address ({1 << header.BitDepth})");
        for (int i = 0; i < count; i++)
        {
            palette[4 * i] = data[3 * i];
            palette[4 * i + 1] = data[3 * i + 1];
            palette[4 * i + 2] = data[3 * i + 2];
            palette[4 * i + 3] = 255;
        }
        return count;
    }

    // tRNS: alpha for the first palette entries (type 3), or one transparent grey/RGB colour as 16-bit values (types 0, 2).
    private static int[]? ReadTransparency(ReadOnlySpan<byte> data, PngHeader header, int paletteCount, bool afterIdat, bool seenBefore,
        byte[] palette, int offset, string fileName)
    {
        if (seenBefore) throw Error(fileName, $"second tRNS chunk at byte {offset}");
        if (afterIdat) throw Error(fileName, $"tRNS chunk at byte {offset} comes after the image data; it must precede IDAT");
        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (paletteCount == 0) throw Error(fileName, $"tRNS chunk at byte {offset} comes before PLTE; it must follow it");
                if (data.Length > paletteCount)
                    throw Error(fileName, $"tRNS has {data.Length} alpha values but PLTE only {paletteCount} entries");
                for (int i = 0; i < data.Length; i++) palette[4 * i + 3] = data[i];
                return null;
            case PngColorType.Grey:
                if (data.Length != 2) throw Error(fileName, $"tRNS for grey images has 2 bytes; this one has {data.Length}");
                return [BinaryPrimitives.ReadUInt16BigEndian(data)];
            case PngColorType.Rgb:
                if (data.Length != 6) throw Error(fileName, $"tRNS for RGB images has 6 bytes; this one has {data.Length}");
                return [BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data[2..]), BinaryPrimitives.ReadUInt16BigEndian(data[4..])];
            default:
                throw Error(fileName, $"tRNS chunk at byte {offset} is not allowed with colour type {(int)header.ColorType} ({header.ColorType}), which has an alpha channel");
        }
    }

    private static DecodedImage Finish(ReadOnlySpan<byte> file, PngHeader header, List<(int Offset, int Length)> idat, long compressedLength,
        byte[] palette, int paletteCount, int[]? transparentColor, bool hasTransparency, string fileName)
    {
        // The joined IDAT payloads are no longer than the file, which already fits in memory.
        var compressed = new byte[compressedLength];
        int position = 0;
        foreach (var (offset, length) in idat)
        {
            file.Slice(offset, length).CopyTo(compressed.AsSpan(position));
            position += length;
        }
        string description = $"{header.Width}x{header.Height} {header.ColorType} {header.BitDepth}-bit{(header.Interlaced ? " Adam7" : "")}";
        byte[] raw = PngInflater.Inflate(compressed, header.InflatedLength(), fileName, description);
        byte[] rgba = new PngReconstructor(header, palette, paletteCount, transparentColor, fileName).ToRgba(raw);
        bool hasAlpha = hasTransparency || header.ColorType is PngColorType.GreyAlpha or PngColorType.Rgba;
        return DecodedImage.Own(header.Width, header.Height, rgba, hasAlpha, FormatId);
    }
}
