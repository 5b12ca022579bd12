using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace VisionPlugin.Tests.Visualization;

/// <summary>One chunk as found in the file: type, data, and whether its stored CRC matched.</summary>
public sealed record PngChunk(string Type, byte[] Data, uint StoredCrc, bool CrcMatches);

/// <summary>A decoded 8-bit RGB/RGBA PNG: header fields, chunks in file order, the filter byte of each row, pixels.</summary>
public sealed record DecodedPng(
    int Width, int Height, byte BitDepth, byte ColorType, byte Compression, byte FilterMethod, byte Interlace,
    IReadOnlyList<PngChunk> Chunks, byte[] RowFilters, byte[] Pixels)
{
    public int BytesPerPixel => ColorType == 6 ? 4 : 3;
}

/// <summary>
/// A minimal PNG decoder, independent of the writer under test, for 8-bit truecolor (type 2) and
/// truecolor+alpha (type 6), non-interlaced: checks the signature and every chunk CRC (bit-by-bit
/// CRC-32, not the writer's table), joins the IDAT data, inflates it with ZLibStream and undoes
/// filters 0..4 row by row.
/// </summary>
public static class PngTestDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static DecodedPng Decode(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(Signature), "PNG signature");
        var chunks = new List<PngChunk>();
        for (int offset = 8; offset < file.Length;)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset)));
            string type = Encoding.ASCII.GetString(file, offset + 4, 4);
            byte[] data = file.AsSpan(offset + 8, length).ToArray();
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            chunks.Add(new PngChunk(type, data, stored, stored == BitwiseCrc32(file.AsSpan(offset + 4, 4 + length))));
            offset += 12 + length;
        }
        Assert.All(chunks, chunk => Assert.True(chunk.CrcMatches, $"CRC of {chunk.Type}"));
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);

        byte[] header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        int width = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        int height = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        byte bitDepth = header[8], colorType = header[9];
        Assert.Equal(8, bitDepth);
        Assert.Contains(colorType, new byte[] { 2, 6 });
        Assert.Equal(0, header[12]);

        using var compressed = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] filtered = raw.ToArray();

        int bytesPerPixel = colorType == 6 ? 4 : 3, rowLength = width * bytesPerPixel;
        Assert.Equal((rowLength + 1) * height, filtered.Length);
        var pixels = new byte[rowLength * height];
        var rowFilters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            byte filter = rowFilters[y] = filtered[y * (rowLength + 1)];
            for (int i = 0; i < rowLength; i++)
            {
                int a = i >= bytesPerPixel ? pixels[y * rowLength + i - bytesPerPixel] : 0;
                int b = y > 0 ? pixels[(y - 1) * rowLength + i] : 0;
                int c = i >= bytesPerPixel && y > 0 ? pixels[(y - 1) * rowLength + i - bytesPerPixel] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Row {y} has filter type {filter}."),
                };
                pixels[y * rowLength + i] = (byte)(filtered[y * (rowLength + 1) + 1 + i] + predictor);
            }
        }
        return new DecodedPng(width, height, bitDepth, colorType, header[10], header[11], header[12], chunks, rowFilters, pixels);
    }

    /// <summary>CRC-32 computed bit by bit from the polynomial (PNG spec annex D), no table.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
