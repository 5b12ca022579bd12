using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class RgbImageTests
{
    private static readonly RgbColor Red = new(255, 0, 0), White = RgbColor.White;

    private static List<(int X, int Y)> PixelsOf(RgbImage image, RgbColor color)
    {
        var found = new List<(int, int)>();
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] == color) found.Add((x, y));
        return found;
    }

    private static int NonBackground(RgbImage image) => image.Height * image.Width - PixelsOf(image, White).Count;

    [Fact]
    public void Pixels_are_row_major_rgb_and_the_indexer_checks_bounds()
    {
        var image = new RgbImage(3, 2, White);
        image[2, 1] = new RgbColor(1, 2, 3);
        Assert.Equal(new RgbColor(1, 2, 3), image[2, 1]);
        Assert.Equal([1, 2, 3], image.Pixels.Slice((1 * 3 + 2) * 3, 3).ToArray());
        Assert.Equal(18, image.Pixels.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[3, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, -1] = Red);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(0, 5, White));
    }

    [Fact]
    public void Rectangles_are_clipped_to_the_image()
    {
        var image = new RgbImage(4, 4, White);
        image.FillRectangle(-2, 2, 4, 10, Red);
        Assert.Equal([(0, 2), (1, 2), (0, 3), (1, 3)], PixelsOf(image, Red));
        image.FillRectangle(10, 10, 5, 5, Red);
        image.FillRectangle(0, 0, int.MaxValue, 0, Red);
        Assert.Equal(4, PixelsOf(image, Red).Count);
    }

    [Fact]
    public void One_pixel_horizontal_line_between_pixel_centers_is_crisp()
    {
        var image = new RgbImage(10, 5, White);
        image.DrawLine(2, 2, 7, 2, Red);
        Assert.Equal(Enumerable.Range(2, 6).Select(x => (x, 2)), PixelsOf(image, Red));
        Assert.Equal(6, NonBackground(image));
    }

    [Fact]
    public void Three_pixel_vertical_line_covers_three_columns()
    {
        var image = new RgbImage(9, 9, White);
        image.DrawLine(4, 2, 4, 6, Red, thickness: 3);
        for (int y = 2; y <= 6; y++)
            for (int x = 3; x <= 5; x++)
                Assert.Equal(Red, image[x, y]);
        Assert.Equal(White, image[2, 4]);
        Assert.Equal(White, image[6, 4]);
    }

    [Fact]
    public void Diagonal_line_is_solid_on_the_diagonal_with_blended_edges()
    {
        var image = new RgbImage(20, 20, White);
        image.DrawLine(2, 3, 17, 11, Red, thickness: 2);
        for (int x = 2; x <= 17; x++)
            Assert.Equal(Red, image[x, (int)Math.Round(3 + (x - 2) * 8 / 15.0)]);
        int partial = Enumerable.Range(0, 400).Count(i => image[i % 20, i / 20] is var c && c != Red && c != White);
        Assert.True(partial > 10, $"expected anti-aliased edge pixels; found {partial}");
        Assert.All(Enumerable.Range(0, 400).Select(i => image[i % 20, i / 20]), c => Assert.True(c.R == 255 && c.G == c.B, $"{c} is not a red tint"));
    }

    [Fact]
    public void Shapes_outside_the_image_are_clipped_and_non_finite_coordinates_refused()
    {
        var image = new RgbImage(8, 8, White);
        image.DrawLine(-50, -50, -10, 30, Red, 3);
        image.FillCircle(100, 100, 5, Red);
        Assert.Equal(0, NonBackground(image));
        image.DrawLine(-100, 4, 100, 4, Red);
        Assert.Equal(8, PixelsOf(image, Red).Count);
        Assert.Throws<ArgumentException>(() => image.DrawLine(double.NaN, 0, 1, 1, Red));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.DrawLine(0, 0, 1, 1, Red, thickness: 0.5));
    }

    [Fact]
    public void Circles_are_solid_inside_and_blended_at_the_rim()
    {
        var image = new RgbImage(15, 15, White);
        image.FillCircle(7, 7, 4, Red);
        Assert.Equal(Red, image[7, 7]);
        Assert.Equal(Red, image[7, 4]);
        Assert.Equal(White, image[7, 1]);
        Assert.Equal(White, image[0, 0]);
        Assert.Contains(Enumerable.Range(0, 225).Select(i => image[i % 15, i / 15]), c => c != Red && c != White);
    }

    [Fact]
    public void Blending_mixes_linearly_and_clamps_coverage()
    {
        var image = new RgbImage(3, 1, new RgbColor(0, 0, 100));
        image.BlendPixel(0, 0, new RgbColor(200, 100, 0), 0.5);
        image.BlendPixel(1, 0, Red, 7);
        image.BlendPixel(2, 0, Red, -1);
        image.BlendPixel(5, 0, Red, 1);
        Assert.Equal(new RgbColor(100, 50, 50), image[0, 0]);
        Assert.Equal(Red, image[1, 0]);
        Assert.Equal(new RgbColor(0, 0, 100), image[2, 0]);
    }

    [Fact]
    public void Text_draws_the_font_glyphs_scaled_in_whole_pixels()
    {
        var image = new RgbImage(30, 20, White);
        image.DrawText("A", 1, 1, Red);
        for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                Assert.Equal(BitmapFont.IsInk('A', column, row), image[1 + column, 1 + row] == Red);
        Assert.Equal(PixelsOf(image, Red).Count, NonBackground(image));

        var big = new RgbImage(30, 30, White);
        big.DrawText("A", 0, 0, Red, scale: 3);
        Assert.Equal(9 * PixelsOf(image, Red).Count, PixelsOf(big, Red).Count);
        Assert.Equal(Red, big[0, 3]); // 'A' row 1 column 0 is ink: pixels (0..2, 3..5)
        Assert.Equal(Red, big[2, 5]);
    }

    [Fact]
    public void Text_is_clipped_and_unknown_characters_draw_as_a_question_mark()
    {
        var image = new RgbImage(20, 12, White);
        image.DrawText("Hello, world", -3, 5, Red, 2);
        Assert.True(PixelsOf(image, Red).Count > 0);
        var unknown = new RgbImage(10, 10, White);
        unknown.DrawText("\u00e9", 0, 0, Red);
        var question = new RgbImage(10, 10, White);
        question.DrawText("?", 0, 0, Red);
        Assert.Equal(question.Pixels.ToArray(), unknown.Pixels.ToArray());
    }
}
