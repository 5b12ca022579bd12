using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using VisionPlugin.Tests.Visualization;

namespace VisionPlugin.Tests.Imaging;

/// <summary>
/// Builds PNG files of any colour type, bit depth and interlace for decoder tests, independently of the
/// plugin's code: its own sample packing, row filters, Adam7 table and (bitwise) CRC. Also builds
/// deliberately broken files: chunks are assembled by hand, so a test can reorder, omit or damage them.
/// </summary>
public static class PngTestEncoder
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>length, type, data, CRC-32(type + data).</summary>
    public static byte[] Chunk(string type, params byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), PngTestDecoder.BitwiseCrc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>The signature followed by <paramref name="chunks"/>.</summary>
    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] IhdrData(uint width, uint height, int bitDepth, int colorType, int interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        data[8] = (byte)bitDepth;
        data[9] = (byte)colorType;
        data[12] = (byte)interlace;
        return data;
    }

    public static byte[] Ihdr(uint width, uint height, int bitDepth, int colorType, int interlace = 0) =>
        Chunk("IHDR", IhdrData(width, height, bitDepth, colorType, interlace));

    public static byte[] Iend() => Chunk("IEND");

    public static byte[] Zlib(byte[] raw, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true)) zlib.Write(raw);
        return output.ToArray();
    }

    /// <summary>
    /// The filtered, uncompressed image data: each row of each pass (all of the image, or the Adam7 passes)
    /// as a filter byte plus the packed samples filtered with filter <c>(row + pass) % 5</c>.
    /// </summary>
    /// <param name="samples">Row-major, <paramref name="channels"/> samples per pixel, each below 2^depth.</param>
    public static byte[] RawImageData(int[] samples, int width, int height, int channels, int depth, bool interlaced)
    {
        int bytesPerPixel = Math.Max(1, channels * depth / 8);
        var passes = interlaced ? Adam7 : [(0, 0, 1, 1)];
        using var raw = new MemoryStream();
        for (int p = 0; p < passes.Length; p++)
        {
            var (x0, y0, dx, dy) = passes[p];
            int passWidth = width > x0 ? (width - x0 + dx - 1) / dx : 0, passHeight = height > y0 ? (height - y0 + dy - 1) / dy : 0;
            if (passWidth == 0 || passHeight == 0) continue;
            int rowBytes = (passWidth * channels * depth + 7) / 8;
            var previous = new byte[rowBytes];
            for (int r = 0; r < passHeight; r++)
            {
                var row = new byte[rowBytes];
                int y = y0 + r * dy;
                for (int i = 0; i < passWidth; i++)
                    for (int c = 0; c < channels; c++)
                        Pack(row, i * channels + c, depth, samples[((y * width) + x0 + i * dx) * channels + c]);
                int filter = (r + p) % 5;
                raw.WriteByte((byte)filter);
                raw.Write(Filter(filter, row, previous, bytesPerPixel));
                previous = row;
            }
        }
        return raw.ToArray();
    }

    /// <summary>A complete PNG: IHDR, optional PLTE and tRNS, the image data split into <paramref name="idatPieces"/> IDAT chunks, IEND.</summary>
    public static byte[] Encode(int[] samples, int width, int height, int colorType, int depth, bool interlaced = false,
        byte[]? palette = null, byte[]? transparency = null, int idatPieces = 1)
    {
        int channels = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        byte[] compressed = Zlib(RawImageData(samples, width, height, channels, depth, interlaced));
        var chunks = new List<byte[]> { Ihdr((uint)width, (uint)height, depth, colorType, interlaced ? 1 : 0) };
        if (palette is not null) chunks.Add(Chunk("PLTE", palette));
        if (transparency is not null) chunks.Add(Chunk("tRNS", transparency));
        int pieceLength = (compressed.Length + idatPieces - 1) / idatPieces;
        for (int offset = 0; offset < compressed.Length; offset += pieceLength)
            chunks.Add(Chunk("IDAT", compressed[offset..Math.Min(compressed.Length, offset + pieceLength)]));
        chunks.Add(Iend());
        return File([.. chunks]);
    }

    /// <summary>Recomputes the CRC of every chunk whose length fits in the file (for fuzzing below the CRC check).</summary>
    public static void FixCrcs(byte[] file)
    {
        for (int offset = 8; offset + 12 <= file.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
            if (offset + 12 + length > file.Length) return;
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(offset + 8 + (int)length), PngTestDecoder.BitwiseCrc32(file.AsSpan(offset + 4, 4 + (int)length)));
            offset += 12 + (int)length;
        }
    }

    // Samples of less than 8 bits fill a byte from its most significant bit; 16-bit samples are big-endian.
    private static void Pack(byte[] row, int index, int depth, int value)
    {
        switch (depth)
        {
            case 8: row[index] = (byte)value; break;
            case 16: row[2 * index] = (byte)(value >> 8); row[2 * index + 1] = (byte)value; break;
            default:
                int bit = index * depth;
                row[bit / 8] |= (byte)(value << (8 - depth - bit % 8));
                break;
        }
    }

    private static byte[] Filter(int filter, byte[] row, byte[] previous, int bpp)
    {
        var output = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => pa <= pb && pa <= pc ? a : pb <= pc ? b : c };
            output[i] = (byte)(row[i] - predictor);
        }
        return output;
    }
}
