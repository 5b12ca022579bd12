namespace VisionPlugin.Visualization;

/// <summary>
/// A built-in 5x7 pixel font (with two descender rows for g, j, p, q, y and a few marks) covering
/// printable ASCII, 32 (space) to 126 (~). Glyphs are drawn at integer scales: each font pixel
/// becomes a <c>scale</c> x <c>scale</c> block. Characters outside that range draw as '?'.
/// </summary>
/// <remarks>
/// Metrics in font pixels (multiply by the scale): a glyph cell is <see cref="Advance"/> wide
/// (5 ink columns and 1 column of spacing); text of n characters is <c>6n - 1</c> wide; capitals and
/// digits are <see cref="CapHeight"/> tall from the top of the line, descenders reach
/// <see cref="GlyphHeight"/>.
/// </remarks>
public static class BitmapFont
{
    /// <summary>Ink columns per glyph.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Rows per glyph: <see cref="CapHeight"/> above the baseline plus 2 descender rows.</summary>
    public const int GlyphHeight = 9;

    /// <summary>Height of capitals and digits; the baseline is below this row.</summary>
    public const int CapHeight = 7;

    /// <summary>Horizontal distance from one glyph to the next (glyph plus one column of spacing).</summary>
    public const int Advance = GlyphWidth + 1;

    private const char First = ' ', Last = '~';

    // One string per character from ' ' (32) to '~' (126): up to 9 rows of 5 columns, '#' = ink,
    // rows separated by spaces, rows left out at the end are blank. Drawn for this project.
    private static readonly string[] GlyphRows =
    [
        /*   */ "",
        /* ! */ "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
        /* " */ ".#.#. .#.#. .#.#.",
        /* # */ ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
        /* $ */ "..#.. .#### #.#.. .###. ..#.# ####. ..#..",
        /* % */ "##... ##..# ...#. ..#.. .#... #..## ...##",
        /* & */ ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        /* ' */ "..#.. ..#.. .#...",
        /* ( */ "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        /* ) */ ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        /* * */ "..... ..#.. #.#.# .###. #.#.# ..#.. .....",
        /* + */ "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        /* , */ "..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...",
        /* - */ "..... ..... ..... .###. ..... ..... .....",
        /* . */ "..... ..... ..... ..... ..... .##.. .##..",
        /* / */ "..... ....# ...#. ..#.. .#... #.... .....",
        /* 0 */ ".###. #...# #..## #.#.# ##..# #...# .###.",
        /* 1 */ "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* 2 */ ".###. #...# ....# ...#. ..#.. .#... #####",
        /* 3 */ "##### ...#. ..#.. ...#. ....# #...# .###.",
        /* 4 */ "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        /* 5 */ "##### #.... ####. ....# ....# #...# .###.",
        /* 6 */ "..##. .#... #.... ####. #...# #...# .###.",
        /* 7 */ "##### ....# ...#. ..#.. .#... .#... .#...",
        /* 8 */ ".###. #...# #...# .###. #...# #...# .###.",
        /* 9 */ ".###. #...# #...# .#### ....# ...#. .##..",
        /* : */ "..... .##.. .##.. ..... .##.. .##.. .....",
        /* ; */ "..... .##.. .##.. ..... .##.. .##.. ..#.. .#...",
        /* < */ "...#. ..#.. .#... #.... .#... ..#.. ...#.",
        /* = */ "..... ..... ##### ..... ##### ..... .....",
        /* > */ ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        /* ? */ ".###. #...# ....# ...#. ..#.. ..... ..#..",
        /* @ */ ".###. #...# ....# .##.# #.#.# #.#.# .###.",
        /* A */ ".###. #...# #...# ##### #...# #...# #...#",
        /* B */ "####. #...# #...# ####. #...# #...# ####.",
        /* C */ ".###. #...# #.... #.... #.... #...# .###.",
        /* D */ "###.. #..#. #...# #...# #...# #..#. ###..",
        /* E */ "##### #.... #.... ####. #.... #.... #####",
        /* F */ "##### #.... #.... ####. #.... #.... #....",
        /* G */ ".###. #...# #.... #.### #...# #...# .####",
        /* H */ "#...# #...# #...# ##### #...# #...# #...#",
        /* I */ ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* J */ "..### ...#. ...#. ...#. ...#. #..#. .##..",
        /* K */ "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        /* L */ "#.... #.... #.... #.... #.... #.... #####",
        /* M */ "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        /* N */ "#...# #...# ##..# #.#.# #..## #...# #...#",
        /* O */ ".###. #...# #...# #...# #...# #...# .###.",
        /* P */ "####. #...# #...# ####. #.... #.... #....",
        /* Q */ ".###. #...# #...# #...# #.#.# #..#. .##.#",
        /* R */ "####. #...# #...# ####. #.#.. #..#. #...#",
        /* S */ ".#### #.... #.... .###. ....# ....# ####.",
        /* T */ "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* U */ "#...# #...# #...# #...# #...# #...# .###.",
        /* V */ "#...# #...# #...# #...# #...# .#.#. ..#..",
        /* W */ "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        /* X */ "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        /* Y */ "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        /* Z */ "##### ....# ...#. ..#.. .#... #.... #####",
        /* [ */ ".###. .#... .#... .#... .#... .#... .###.",
        /* \ */ "..... #.... .#... ..#.. ...#. ....# .....",
        /* ] */ ".###. ...#. ...#. ...#. ...#. ...#. .###.",
        /* ^ */ "..#.. .#.#. #...#",
        /* _ */ "..... ..... ..... ..... ..... ..... ..... #####",
        /* ` */ ".#... ..#.. ...#.",
        /* a */ "..... ..... .###. ....# .#### #...# .####",
        /* b */ "#.... #.... #.##. ##..# #...# #...# ####.",
        /* c */ "..... ..... .###. #.... #.... #...# .###.",
        /* d */ "....# ....# .##.# #..## #...# #...# .####",
        /* e */ "..... ..... .###. #...# ##### #.... .###.",
        /* f */ "..##. .#..# .#... ###.. .#... .#... .#...",
        /* g */ "..... ..... .#### #...# #...# #...# .#### ....# .###.",
        /* h */ "#.... #.... #.##. ##..# #...# #...# #...#",
        /* i */ "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
        /* j */ "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",
        /* k */ "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
        /* l */ ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* m */ "..... ..... ##.#. #.#.# #.#.# #...# #...#",
        /* n */ "..... ..... #.##. ##..# #...# #...# #...#",
        /* o */ "..... ..... .###. #...# #...# #...# .###.",
        /* p */ "..... ..... ####. #...# #...# #...# ####. #.... #....",
        /* q */ "..... ..... .#### #...# #...# #...# .#### ....# ....#",
        /* r */ "..... ..... #.##. ##..# #.... #.... #....",
        /* s */ "..... ..... .#### #.... .###. ....# ####.",
        /* t */ ".#... .#... ###.. .#... .#... .#..# ..##.",
        /* u */ "..... ..... #...# #...# #...# #..## .##.#",
        /* v */ "..... ..... #...# #...# #...# .#.#. ..#..",
        /* w */ "..... ..... #...# #...# #.#.# #.#.# .#.#.",
        /* x */ "..... ..... #...# .#.#. ..#.. .#.#. #...#",
        /* y */ "..... ..... #...# #...# #...# #...# .#### ....# .###.",
        /* z */ "..... ..... ##### ...#. ..#.. .#... #####",
        /* { */ "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",
        /* | */ "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* } */ ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",
        /* ~ */ "..... ..... .#... #.#.# ...#. ..... .....",
    ];

    // Glyphs[c - ' '][row] holds the row's 5 columns as bits, column 0 in bit 4.
    private static readonly byte[][] Glyphs = Array.ConvertAll(GlyphRows, ParseGlyph);

    /// <summary>Whether font pixel (<paramref name="column"/>, <paramref name="row"/>) of the glyph for <paramref name="character"/> is ink.</summary>
    /// <param name="character">Any character; those outside ' '..'~' use the glyph of '?'.</param>
    /// <param name="column">0..<see cref="GlyphWidth"/>-1, left to right; outside that range there is no ink.</param>
    /// <param name="row">0..<see cref="GlyphHeight"/>-1, top to bottom; outside that range there is no ink.</param>
    public static bool IsInk(char character, int column, int row)
    {
        if ((uint)column >= GlyphWidth || (uint)row >= GlyphHeight) return false;
        return (Glyphs[GlyphIndex(character)][row] >> (GlyphWidth - 1 - column) & 1) != 0;
    }

    /// <summary>Width in image pixels of <paramref name="text"/> drawn at <paramref name="scale"/> (0 for empty text).</summary>
    /// <param name="text">A single line of text.</param>
    /// <param name="scale">Integer magnification, 1 or more.</param>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        return text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
    }

    private static int GlyphIndex(char character) =>
        character is >= First and <= Last ? character - First : '?' - First;

    private static byte[] ParseGlyph(string rows)
    {
        var bits = new byte[GlyphHeight];
        string[] parts = rows.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > GlyphHeight) throw new InvalidOperationException($"Glyph \"{rows}\" has more than {GlyphHeight} rows.");
        for (int row = 0; row < parts.Length; row++)
        {
            if (parts[row].Length != GlyphWidth) throw new InvalidOperationException($"Glyph row \"{parts[row]}\" is not {GlyphWidth} columns.");
            foreach (char cell in parts[row])
                bits[row] = (byte)(bits[row] << 1 | (cell == '#' ? 1 : 0));
        }
        return bits;
    }
}
