using System.Buffers.Binary;
using System.IO.Compression;

namespace VisionPlugin.Engine.Data;

/// <summary>
/// Reader for the IDX format of MNIST and Fashion-MNIST (optionally gzip-compressed): a big-endian
/// header of magic (0x00 0x00 type rank), one int32 per dimension, then the raw elements.
/// Only unsigned-byte data (type 0x08) is supported, which is what those data sets use.
/// </summary>
public static class IdxFile
{
    /// <summary>Upper bound on elements, so a corrupt header cannot trigger a huge allocation.</summary>
    public const long MaxElements = 1L << 30;

    /// <summary>Reads the dimensions and the bytes of an IDX file (.gz is decompressed on the fly).</summary>
    /// <exception cref="InvalidDataException">The header is malformed, the type is not ubyte, or the file is short.</exception>
    public static (int[] Dimensions, byte[] Data) ReadBytes(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, "magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (magic {Convert.ToHexString(magic)}).");
        if (magic[2] != 0x08)
            throw new InvalidDataException($"{path}: IDX element type 0x{magic[2]:X2} is not supported (only unsigned bytes, 0x08).");
        int rank = magic[3];
        if (rank is < 1 or > 4) throw new InvalidDataException($"{path}: IDX rank {rank} is out of range 1..4.");
        var dimensions = new int[rank];
        Span<byte> word = stackalloc byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(stream, word, path, $"dimension {i}");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dimensions[i] < 0) throw new InvalidDataException($"{path}: negative dimension {dimensions[i]}.");
            count *= dimensions[i];
            if (count > MaxElements) throw new InvalidDataException($"{path}: {count}+ elements exceeds the {MaxElements} limit.");
        }
        var data = new byte[count];
        ReadExactly(stream, data, path, $"{count} data bytes");
        return (dimensions, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path}: file ends before the {what}."); }
    }
}
