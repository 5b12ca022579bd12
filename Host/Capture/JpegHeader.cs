using System.Buffers.Binary;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// Reads a JPEG's dimensions from its start-of-frame marker without decoding, so size limits are enforced before
/// OpenCV allocates anything, and checks that the file is not cut short. Layout: SOI (FF D8), then segments
/// <c>FF mm LL LL payload[LL-2]</c>; a SOFn payload is precision(1) height(2) width(2) components(1) ... (big-endian).
/// </summary>
internal static class JpegHeader
{
    /// <summary>SOI followed by the first marker's FF.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> header) => header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF;

    /// <summary>(width, height, byte offset of the SOF marker), or a problem phrase when the markers are damaged.</summary>
    public static (int Width, int Height, int FrameOffset, string? Problem) Read(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file)) return (0, 0, 0, "missing the JPEG start-of-image marker (FF D8)");
        int position = 2;
        while (true)
        {
            if (position >= file.Length) return (0, 0, 0, $"file ends at byte {file.Length} before the frame header (SOF)");
            if (file[position] != 0xFF) return (0, 0, 0, $"expected a marker at byte {position}, found 0x{file[position]:X2}");
            while (position < file.Length && file[position] == 0xFF) position++; // fill bytes
            if (position >= file.Length) return (0, 0, 0, "file ends inside a marker");
            int markerOffset = position - 1;
            byte marker = file[position++];
            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7)) continue; // stand-alone markers: no length
            if (marker == 0xD9) return (0, 0, 0, $"end-of-image marker at byte {markerOffset} before any frame header");
            if (marker == 0xDA) return (0, 0, 0, $"scan data (SOS) at byte {markerOffset} before any frame header");
            if (position + 2 > file.Length) return (0, 0, 0, $"file ends inside the length of marker FF {marker:X2}");
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[position..]);
            if (length < 2) return (0, 0, 0, $"marker FF {marker:X2} at byte {markerOffset} has an impossible length {length}");
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8 || position + 7 > file.Length) return (0, 0, 0, $"frame header at byte {markerOffset} is truncated");
                int height = BinaryPrimitives.ReadUInt16BigEndian(file[(position + 3)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(file[(position + 5)..]);
                if (height == 0) return (0, 0, 0, "the height is given by a DNL marker, which is not supported");
                return (width, height, markerOffset, null);
            }
            position += length;
        }
    }

    /// <summary>
    /// Whether an end-of-image marker (FF D9) follows the frame header. Entropy-coded data never contains FF D9 (an FF
    /// byte there is followed by 00 or a restart marker), so its absence means the file was cut short: libjpeg would
    /// otherwise "decode" the missing part as grey with only a warning.
    /// </summary>
    public static bool HasEndOfImage(ReadOnlySpan<byte> file, int frameOffset) => file[frameOffset..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
}
