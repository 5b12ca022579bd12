using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace VisionPlugin.Visualization;

/// <summary>
/// Encodes 8-bit RGB or RGBA pixels as a PNG file: the signature, an IHDR chunk, IDAT chunks holding
/// the zlib-compressed rows (each row prefixed by the filter chosen for it), and IEND. Every chunk is
/// <c>length (big-endian u32), type, data, CRC-32 of type and data</c>. No interlacing, no gamma or
/// color-profile chunks (viewers assume sRGB). Output is deterministic: the same pixels give the same bytes.
/// </summary>
public static class PngWriter
{
    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Largest IDAT chunk written; longer compressed streams are split across several chunks.</summary>
    internal const int MaxIdatLength = 1 << 20;

    /// <summary>Encodes <paramref name="image"/> as an RGB8 PNG.</summary>
    /// <param name="image">The pixels.</param>
    /// <returns>The complete PNG file.</returns>
    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, PngPixelFormat.Rgb8);
    }

    /// <summary>Encodes raw pixels as a PNG.</summary>
    /// <param name="pixels">Row-major pixels from the top row, no padding: <c>width * height * (3 or 4)</c> bytes.</param>
    /// <param name="width">Columns, 1 or more.</param>
    /// <param name="height">Rows, 1 or more.</param>
    /// <param name="format">Channel layout of <paramref name="pixels"/>.</param>
    /// <returns>The complete PNG file.</returns>
    /// <exception cref="ArgumentException">The pixel count does not match width, height and format.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format) =>
        Encode(pixels, width, height, format, fixedFilter: null);

    /// <summary>Encodes <paramref name="image"/> as a PNG and saves it atomically (a temporary file in the same folder, then a rename).</summary>
    /// <param name="path">Target file; its folder must exist. An existing file is replaced.</param>
    /// <param name="image">The pixels.</param>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Save(string path, RgbImage image) => AtomicFile.WriteAllBytes(path, Encode(image));

    /// <summary>Encodes raw pixels as a PNG and saves it atomically (a temporary file in the same folder, then a rename).</summary>
    /// <param name="path">Target file; its folder must exist. An existing file is replaced.</param>
    /// <param name="pixels">Row-major pixels from the top row, no padding: <c>width * height * (3 or 4)</c> bytes.</param>
    /// <param name="width">Columns, 1 or more.</param>
    /// <param name="height">Rows, 1 or more.</param>
    /// <param name="format">Channel layout of <paramref name="pixels"/>.</param>
    /// <exception cref="ArgumentException">The pixel count does not match width, height and format.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format) =>
        AtomicFile.WriteAllBytes(path, Encode(pixels, width, height, format));

    /// <summary>Encodes with one filter for every row (<paramref name="fixedFilter"/>) or the best per row (null).</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format, PngRowFilter? fixedFilter)
    {
        int bytesPerPixel = format switch
        {
            PngPixelFormat.Rgb8 => 3,
            PngPixelFormat.Rgba8 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long rowLength = (long)width * bytesPerPixel;
        if (rowLength * height + height > Array.MaxLength)
            throw new ArgumentException($"A {width}x{height} {format} image is too large to encode in memory.", nameof(pixels));
        if (pixels.Length != rowLength * height)
            throw new ArgumentException(
                $"A {width}x{height} {format} image needs {rowLength * height} bytes of pixels; got {pixels.Length}.", nameof(pixels));

        using var file = new MemoryStream();
        file.Write(Signature);
        WriteChunk(file, "IHDR", Header(width, height, format));
        byte[] compressed = CompressRows(pixels, (int)rowLength, height, bytesPerPixel, fixedFilter);
        for (int offset = 0; offset < compressed.Length; offset += MaxIdatLength)
            WriteChunk(file, "IDAT", compressed.AsSpan(offset, Math.Min(MaxIdatLength, compressed.Length - offset)));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    // IHDR: width, height (u32 BE), bit depth 8, color type (2 RGB, 6 RGBA), compression 0 (deflate),
    // filter method 0 (the five adaptive filters), interlace 0 (none).
    private static byte[] Header(int width, int height, PngPixelFormat format)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;
        header[9] = format == PngPixelFormat.Rgba8 ? (byte)6 : (byte)2;
        return header;
    }

    // The zlib stream of all rows, each as [filter type byte][filtered row bytes].
    private static byte[] CompressRows(ReadOnlySpan<byte> pixels, int rowLength, int height, int bytesPerPixel, PngRowFilter? fixedFilter)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var previous = new byte[rowLength];
            var filtered = new byte[rowLength + 1];
            var scratch = new byte[rowLength];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * rowLength, rowLength);
                Span<byte> output = filtered.AsSpan(1);
                PngRowFilter filter = fixedFilter ?? PngRowFilters.ApplyBest(row, previous, bytesPerPixel, output, scratch);
                if (fixedFilter is { } only) PngRowFilters.Apply(only, row, previous, bytesPerPixel, output);
                filtered[0] = (byte)filter;
                zlib.Write(filtered);
                row.CopyTo(previous);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        file.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        file.Write(typeBytes);
        file.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        file.Write(word);
    }
}
