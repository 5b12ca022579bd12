using System.Buffers.Binary;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// Reads a WebP's canvas size from its first chunk without decoding: "RIFF" size(4) "WEBP", then one of
/// "VP8X" (flags at 20, width-1 and height-1 as 24-bit little-endian at 24 and 27; flag 0x10 = alpha),
/// "VP8 " (lossy: start code 9D 01 2A at 23, 14-bit width at 26 and height at 28), or
/// "VP8L" (lossless: signature 0x2F at 20, then 14 bits width-1, 14 bits height-1, 1 bit alpha-used, little-endian).
/// </summary>
internal static class WebPHeader
{
    public static bool HasSignature(ReadOnlySpan<byte> header) =>
        header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8);

    /// <summary>(width, height, has alpha), or a problem phrase.</summary>
    public static (int Width, int Height, bool HasAlpha, string? Problem) Read(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file)) return (0, 0, false, "missing the RIFF/WEBP signature");
        if (file.Length < 30) return (0, 0, false, $"file is {file.Length} bytes, too short for a WebP header");
        ReadOnlySpan<byte> chunk = file[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + ReadUInt24(file[24..]), 1 + ReadUInt24(file[27..]), (file[20] & 0x10) != 0, null);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (file[23] != 0x9D || file[24] != 0x01 || file[25] != 0x2A) return (0, 0, false, "VP8 start code (9D 01 2A) missing");
            return (BinaryPrimitives.ReadUInt16LittleEndian(file[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(file[28..]) & 0x3FFF, false, null);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (file[20] != 0x2F) return (0, 0, false, "VP8L signature byte (0x2F) missing");
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(file[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, (bits >> 28 & 1) != 0, null);
        }
        return (0, 0, false, $"unknown first chunk \"{System.Text.Encoding.ASCII.GetString(chunk)}\"");
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | bytes[1] << 8 | bytes[2] << 16;
}
