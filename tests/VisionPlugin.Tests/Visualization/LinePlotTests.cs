using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class LinePlotTests
{
    private static readonly RgbColor Blue = RgbColor.SeriesPalette[0], Orange = RgbColor.SeriesPalette[1];

    private static PlotSeries Series(string name, RgbColor color, params double[] ys) =>
        new(name, ys.Select((y, i) => ((double)(i + 1), y)).ToArray(), color);

    private static LinePlot TwoPanels() => new("Run", [
        new PlotPanel("Loss", [Series("train", Blue, 2.0, 1.2, 0.8, 0.6), Series("validation", Orange, 2.6, 1.9, 1.6, 1.7)]),
        new PlotPanel("Accuracy (%)", [Series("train", Blue, 40, 60, 75, 82), Series("validation", Orange, 35, 50, 61, 63)]),
    ]) { XAxisTitle = "epoch", WholeNumberX = true, Width = 480, Height = 360 };

    private static IEnumerable<(int X, int Y)> PixelsOf(RgbImage image, RgbColor color)
    {
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] == color) yield return (x, y);
    }

    private static bool Inside(LinePlot.ChartArea chart, (int X, int Y) p) =>
        p.X > chart.Left && p.X < chart.Right && p.Y > chart.Top && p.Y < chart.Bottom;

    private static RgbColor At(RgbImage image, LinePlot.ChartArea chart, double x, double y) =>
        image[(int)Math.Round(chart.PixelX(x)), (int)Math.Round(chart.PixelY(y))];

    // Whether a pixel within one pixel of where (x, y) maps has exactly this color.
    private static bool Near(RgbImage image, LinePlot.ChartArea chart, double x, double y, RgbColor color)
    {
        int px = (int)Math.Round(chart.PixelX(x)), py = (int)Math.Round(chart.PixelY(y));
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                if (image[px + dx, py + dy] == color) return true;
        return false;
    }

    [Fact]
    public void Same_plot_gives_the_same_png_bytes()
    {
        byte[] first = PngWriter.Encode(TwoPanels().Render());
        byte[] second = PngWriter.Encode(TwoPanels().Render());
        Assert.Equal(first, second);
        Assert.Equal((480, 360), (PngTestDecoder.Decode(first).Width, PngTestDecoder.Decode(first).Height));
    }

    [Fact]
    public void Series_are_drawn_in_their_colors_inside_their_charts()
    {
        var (image, charts) = TwoPanels().RenderWithLayout();
        Assert.Equal(2, charts.Count);
        Assert.True(charts[0].Bottom < charts[1].Top, "panels are stacked top to bottom");
        var plot = TwoPanels();
        for (int panel = 0; panel < 2; panel++)
            foreach (var series in plot.Panels[panel].Series)
                foreach (var (x, y) in series.Points)
                    Assert.Equal(series.Color, At(image, charts[panel], x, y));

        // Pixels in exact series colors lie in a chart or in the legend row just above it.
        foreach (RgbColor color in new[] { Blue, Orange })
        {
            var pixels = PixelsOf(image, color).ToList();
            Assert.All(charts, chart => Assert.True(pixels.Count(p => Inside(chart, p)) > 50, $"{color} in chart at {chart.Top}"));
            Assert.All(pixels, p => Assert.True(charts.Any(c => Inside(c, p) || (p.Y < c.Top && p.Y > c.Top - 30 && p.X > c.Left)), $"{color} pixel at {p}"));
        }
    }

    [Fact]
    public void Value_axes_cover_each_panel_data_with_round_ticks()
    {
        var (_, charts) = TwoPanels().RenderWithLayout();
        Assert.True(charts[0].Y.Min <= 0.6 && charts[0].Y.Max >= 2.2);
        Assert.True(charts[1].Y.Min <= 35 && charts[1].Y.Max >= 82 && charts[1].Y.Max <= 100);
        Assert.Equal((1.0, 4.0), (charts[0].X.Min, charts[0].X.Max));
        Assert.Equal(charts[0].X, charts[1].X);
    }

    [Fact]
    public void NaN_points_are_skipped_and_break_the_line()
    {
        var plot = new LinePlot("", [new PlotPanel("p", [Series("s", Blue, 1, double.NaN, 1, 2, double.PositiveInfinity)])]) { Width = 300, Height = 200 };
        var (image, charts) = plot.RenderWithLayout();
        var chart = charts[0];
        Assert.Equal(Blue, At(image, chart, 1, 1));
        Assert.Equal(Blue, At(image, chart, 3, 1));
        Assert.False(Near(image, chart, 2, 1, Blue)); // no line across the gap at x = 2
        Assert.True(Near(image, chart, 3.5, 1.5, Blue)); // but 3 -> 4 is joined
        Assert.Equal((1.0, 4.0), (chart.X.Min, chart.X.Max)); // the infinite point does not stretch the axis
    }

    [Fact]
    public void A_single_point_is_drawn_as_a_dot_on_a_proper_range()
    {
        var plot = new LinePlot("one", [new PlotPanel("p", [new PlotSeries("s", [(5, 0.25)], Blue)])]) { WholeNumberX = true, Width = 300, Height = 200 };
        var (image, charts) = plot.RenderWithLayout();
        var chart = charts[0];
        Assert.True(chart.X.Max > chart.X.Min && chart.Y.Max > chart.Y.Min);
        Assert.InRange(5.0, chart.X.Min, chart.X.Max);
        Assert.InRange(0.25, chart.Y.Min, chart.Y.Max);
        Assert.Equal(Blue, At(image, chart, 5, 0.25));
        Assert.True(PixelsOf(image, Blue).Count() >= 20, "the dot has a visible size");
    }

    [Fact]
    public void A_constant_series_is_a_horizontal_line_inside_the_chart()
    {
        var plot = new LinePlot("flat", [new PlotPanel("p", [Series("s", Orange, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7)])]) { Width = 300, Height = 200 };
        var (image, charts) = plot.RenderWithLayout();
        var chart = charts[0];
        Assert.True(chart.Y.Max > 0.7 && chart.Y.Min < 0.7);
        int row = (int)Math.Round(chart.PixelY(0.7));
        for (int x = (int)Math.Ceiling(chart.PixelX(1)); x <= (int)Math.Floor(chart.PixelX(6)); x++)
            Assert.Equal(Orange, image[x, row]);
    }

    [Fact]
    public void Series_without_finite_points_and_empty_panels_render_and_stay_out_of_the_legend()
    {
        var plot = new LinePlot("empty", [
            new PlotPanel("nothing", []),
            new PlotPanel("all NaN", [Series("gone", Orange, double.NaN, double.NaN), Series("kept", Blue, 3, 4)]),
        ]) { Width = 300, Height = 300 };
        RgbImage image = plot.Render();
        Assert.Empty(PixelsOf(image, Orange));
        Assert.NotEmpty(PixelsOf(image, Blue));
    }

    [Fact]
    public void Titles_and_labels_put_ink_on_the_image()
    {
        var withTitle = TwoPanels().RenderWithLayout();
        var withoutTitle = (TwoPanels() with { Title = "" }).RenderWithLayout();
        var ink = new RgbColor(34, 34, 34);
        Assert.True(PixelsOf(withTitle.Image, ink).Count(p => p.Y < 30) > 20, "title pixels at the top");
        Assert.True(withoutTitle.Charts[0].Top < withTitle.Charts[0].Top, "no title, more room");
        // Tick labels sit left of each chart.
        var chart = withTitle.Charts[0];
        Assert.Contains(PixelsOf(withTitle.Image, new RgbColor(72, 72, 72)), p => p.X < chart.Left - 4 && p.Y > chart.Top && p.Y < chart.Bottom);
    }

    [Fact]
    public void A_too_long_title_is_shrunk_then_truncated_not_clipped()
    {
        var plot = TwoPanels() with { Title = new string('W', 200) };
        RgbImage image = plot.Render();
        var ink = PixelsOf(image, new RgbColor(34, 34, 34)).Where(p => p.Y < 30).ToList();
        Assert.True(ink.Min(p => p.X) >= 12 && ink.Max(p => p.X) < image.Width - 12);
    }

    [Fact]
    public void Automatic_text_scale_is_1_for_small_images_and_2_from_900_by_600()
    {
        Assert.Equal(TwoPanels().Render().Pixels.ToArray(), (TwoPanels() with { TextScale = 1 }).Render().Pixels.ToArray());
        var large = TwoPanels() with { Width = 900, Height = 600 };
        Assert.Equal(large.Render().Pixels.ToArray(), (large with { TextScale = 2 }).Render().Pixels.ToArray());
        Assert.NotEqual(large.Render().Pixels.ToArray(), (large with { TextScale = 1 }).Render().Pixels.ToArray());
    }

    [Fact]
    public void A_legend_that_does_not_fit_beside_the_panel_title_moves_to_a_second_line()
    {
        var shortTitle = new LinePlot("", [new PlotPanel("p", [Series("train", Blue, 1, 2), Series("validation", Orange, 2, 1)])]) { Width = 300, Height = 200 };
        var longTitle = shortTitle with { Panels = [shortTitle.Panels[0] with { Title = "a rather long panel title" }] };
        var (shortImage, shortCharts) = shortTitle.RenderWithLayout();
        var (longImage, longCharts) = longTitle.RenderWithLayout();
        Assert.True(longCharts[0].Top > shortCharts[0].Top, "the chart moves down by one header line");
        int lineHeight = longCharts[0].Top - shortCharts[0].Top;
        // The legend (series colors above the chart) sits in the line just above the chart in both.
        Assert.Contains(PixelsOf(longImage, Blue), p => p.Y < longCharts[0].Top && p.Y > longCharts[0].Top - lineHeight);
        Assert.DoesNotContain(PixelsOf(longImage, Blue), p => p.Y < longCharts[0].Top - lineHeight);
        Assert.Contains(PixelsOf(shortImage, Blue), p => p.Y < shortCharts[0].Top);
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_setting_named()
    {
        Assert.Throws<ArgumentException>(() => new LinePlot("t", []).Render());
        Assert.Equal("TextScale", Assert.Throws<ArgumentOutOfRangeException>(() => (TwoPanels() with { TextScale = 9 }).Render()).ParamName);
        Assert.Equal("TextScale", Assert.Throws<ArgumentOutOfRangeException>(() => (TwoPanels() with { TextScale = -1 }).Render()).ParamName);
        Assert.Equal("LineThickness", Assert.Throws<ArgumentOutOfRangeException>(() => (TwoPanels() with { LineThickness = 0 }).Render()).ParamName);
        Assert.Contains("too small", Assert.Throws<ArgumentException>(() => (TwoPanels() with { Width = 100, Height = 100 }).Render()).Message);
    }
}
