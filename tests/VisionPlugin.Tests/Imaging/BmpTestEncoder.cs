using System.Buffers.Binary;

namespace VisionPlugin.Tests.Imaging;

/// <summary>Writes Windows bitmaps for decoder tests: 24-bit BGR or 32-bit BGRA, bottom-up or top-down, optional V5 bit-field masks.</summary>
public static class BmpTestEncoder
{
    /// <param name="rgba">Row-major RGBA8, top row first.</param>
    /// <param name="masks">For 32-bit: (R, G, B, A) masks written in a 124-byte V5 header with BI_BITFIELDS; null: 40-byte header, BI_RGB.</param>
    public static byte[] Encode(byte[] rgba, int width, int height, int bitCount, bool topDown = false,
        (uint R, uint G, uint B, uint A)? masks = null, uint compression = 0)
    {
        int headerSize = masks is null ? 40 : 124, bytesPerPixel = bitCount / 8;
        int stride = (width * bitCount + 31) / 32 * 4, pixelOffset = 14 + headerSize;
        var file = new byte[pixelOffset + stride * height];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(2), (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(10), (uint)pixelOffset);
        Span<byte> info = file.AsSpan(14);
        BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], width);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], topDown ? -height : height);
        BinaryPrimitives.WriteUInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(info[14..], (ushort)bitCount);
        BinaryPrimitives.WriteUInt32LittleEndian(info[16..], masks is null ? compression : 3);
        if (masks is var (r, g, b, a))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(info[40..], r);
            BinaryPrimitives.WriteUInt32LittleEndian(info[44..], g);
            BinaryPrimitives.WriteUInt32LittleEndian(info[48..], b);
            BinaryPrimitives.WriteUInt32LittleEndian(info[52..], a);
        }
        for (int y = 0; y < height; y++)
        {
            int fileRow = topDown ? y : height - 1 - y;
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 4, d = pixelOffset + fileRow * stride + x * bytesPerPixel;
                if (masks is var (mr, mg, mb, ma))
                {
                    uint value = Place(rgba[s], mr) | Place(rgba[s + 1], mg) | Place(rgba[s + 2], mb) | Place(rgba[s + 3], ma);
                    BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(d), value);
                }
                else
                {
                    file[d] = rgba[s + 2];
                    file[d + 1] = rgba[s + 1];
                    file[d + 2] = rgba[s];
                    if (bitCount == 32) file[d + 3] = rgba[s + 3];
                }
            }
        }
        return file;
    }

    private static uint Place(byte value, uint mask) => mask == 0 ? 0 : (uint)value << System.Numerics.BitOperations.TrailingZeroCount(mask);
}
