using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class BitmapFontTests
{
    private static string Bitmap(char c) =>
        string.Concat(Enumerable.Range(0, BitmapFont.GlyphHeight * BitmapFont.GlyphWidth)
            .Select(i => BitmapFont.IsInk(c, i % BitmapFont.GlyphWidth, i / BitmapFont.GlyphWidth) ? '#' : '.'));

    private static readonly char[] Printable = Enumerable.Range(33, 94).Select(code => (char)code).ToArray();

    [Fact]
    public void Every_printable_character_has_ink_and_a_glyph_of_its_own()
    {
        Assert.All(Printable, c => Assert.Contains('#', Bitmap(c)));
        Assert.DoesNotContain('#', Bitmap(' '));
        var duplicates = Printable.GroupBy(Bitmap).Where(g => g.Count() > 1).Select(g => string.Concat(g)).ToArray();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Only_descending_characters_reach_below_the_baseline()
    {
        string descending = new(Printable.Where(c => Bitmap(c)[(BitmapFont.CapHeight * BitmapFont.GlyphWidth)..].Contains('#')).ToArray());
        Assert.Equal(",;_gjpqy", descending);
    }

    [Fact]
    public void Digits_are_cap_height_tall()
    {
        foreach (char digit in "0123456789")
        {
            Assert.Contains(Enumerable.Range(0, 5), column => BitmapFont.IsInk(digit, column, 0));
            Assert.Contains(Enumerable.Range(0, 5), column => BitmapFont.IsInk(digit, column, BitmapFont.CapHeight - 1));
        }
    }

    [Fact]
    public void Width_is_six_pixels_per_character_less_the_trailing_space_times_scale()
    {
        Assert.Equal(0, BitmapFont.MeasureWidth(""));
        Assert.Equal(5, BitmapFont.MeasureWidth("x"));
        Assert.Equal(23, BitmapFont.MeasureWidth("loss"));
        Assert.Equal(46, BitmapFont.MeasureWidth("loss", scale: 2));
        Assert.False(BitmapFont.IsInk('A', -1, 0));
        Assert.False(BitmapFont.IsInk('A', 0, BitmapFont.GlyphHeight));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitmapFont.MeasureWidth("a", 0));
    }
}
