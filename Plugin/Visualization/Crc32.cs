namespace VisionPlugin.Visualization;

/// <summary>
/// CRC-32 as PNG and zlib's <c>crc32</c> define it (ISO 3309 / ITU-T V.42: reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF), one table lookup per byte.
/// System.IO.Hashing would do the same but is a NuGet package, not part of the shared framework.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/> ("123456789" gives 0xCBF43926).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// The CRC of the bytes already hashed into <paramref name="crc"/> followed by <paramref name="data"/>
    /// (<c>Append(Compute(a), b) == Compute(a + b)</c>; <c>Compute(x) == Append(0, x)</c>).
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        foreach (byte value in data)
            state = Table[(state ^ value) & 0xFF] ^ (state >> 8);
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
