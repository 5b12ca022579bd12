namespace VisionPlugin.Visualization;

/// <summary>
/// The five PNG row filters (PNG spec section 9). Each byte x of a row is replaced by
/// <c>x - predictor(a, b, c)</c> (mod 256), where a is the byte one pixel to the left, b the byte
/// above and c the byte above-left (0 outside the image).
/// </summary>
internal enum PngRowFilter : byte
{
    /// <summary>predictor = 0.</summary>
    None = 0,

    /// <summary>predictor = a.</summary>
    Sub = 1,

    /// <summary>predictor = b.</summary>
    Up = 2,

    /// <summary>predictor = floor((a + b) / 2).</summary>
    Average = 3,

    /// <summary>predictor = whichever of a, b, c is closest to a + b - c (ties: a, then b).</summary>
    Paeth = 4,
}

/// <summary>Applies <see cref="PngRowFilter"/>s and picks one per row.</summary>
internal static class PngRowFilters
{
    /// <summary>
    /// Filters <paramref name="row"/> into <paramref name="filtered"/> (same length).
    /// <paramref name="previous"/> is the unfiltered row above, all zeros for the first row.
    /// </summary>
    public static void Apply(PngRowFilter filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> filtered)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int b = previous[i];
            int c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
            int predictor = filter switch
            {
                PngRowFilter.None => 0,
                PngRowFilter.Sub => a,
                PngRowFilter.Up => b,
                PngRowFilter.Average => (a + b) >> 1,
                PngRowFilter.Paeth => Paeth(a, b, c),
                _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown PNG row filter."),
            };
            filtered[i] = (byte)(row[i] - predictor);
        }
    }

    /// <summary>
    /// Filters <paramref name="row"/> with each of the five filters and keeps the one whose output has
    /// the smallest sum of |byte as signed| (the heuristic the PNG spec recommends for truecolor).
    /// </summary>
    /// <returns>The filter chosen; its output is in <paramref name="filtered"/>.</returns>
    public static PngRowFilter ApplyBest(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> filtered, Span<byte> scratch)
    {
        var best = PngRowFilter.None;
        long bestScore = long.MaxValue;
        for (var filter = PngRowFilter.None; filter <= PngRowFilter.Paeth; filter++)
        {
            Apply(filter, row, previous, bytesPerPixel, scratch);
            long score = 0;
            foreach (byte value in scratch) score += Math.Abs((int)(sbyte)value);
            if (score < bestScore)
            {
                bestScore = score;
                best = filter;
                scratch.CopyTo(filtered);
            }
        }
        return best;
    }

    /// <summary>The Paeth predictor: of a, b, c the one nearest p = a + b - c, preferring a, then b.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }
}
