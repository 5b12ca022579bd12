namespace VisionPlugin.Visualization;

/// <summary>
/// A line chart rendered to an <see cref="RgbImage"/>: a title, then one or more <see cref="PlotPanel"/>s
/// stacked top to bottom that share the X axis. Each panel has its own value axis with round tick
/// values and light grid lines, its title on the left and a legend on the right above the chart,
/// and its series in distinct colors. Rendering is deterministic (same plot, same pixels).
/// </summary>
/// <example>
/// <code>
/// var plot = new LinePlot("Run 3", [new PlotPanel("Loss", [new PlotSeries("train", [(1, 0.9), (2, 0.5)])])])
///     { XAxisTitle = "epoch", WholeNumberX = true };
/// plot.Save("loss.png");
/// </code>
/// </example>
/// <param name="Title">Centered at the top; empty for none. Drawn at label size, then truncated with "...", when too long.</param>
/// <param name="Panels">The charts, top to bottom; at least one.</param>
public sealed record LinePlot(string Title, IReadOnlyList<PlotPanel> Panels)
{
    private const int Padding = 12, TickLength = 4, Gap = 6, Inset = 6, SwatchLength = 22, LegendSpacing = 18, PanelGap = 24;
    private static readonly RgbColor Ink = new(34, 34, 34), LabelInk = new(72, 72, 72), FrameColor = new(120, 120, 120), GridColor = new(229, 229, 229);

    /// <summary>Text under the X axis (e.g. "epoch"); empty for none.</summary>
    public string XAxisTitle { get; init; } = "";

    /// <summary>Whether X ticks fall on whole numbers only (epochs, steps).</summary>
    public bool WholeNumberX { get; init; }

    /// <summary>Image width in pixels (default 900).</summary>
    public int Width { get; init; } = 900;

    /// <summary>Image height in pixels (default 600).</summary>
    public int Height { get; init; } = 600;

    /// <summary>
    /// Magnification of the 5x7 font for labels, 1..4; the title is one step larger. 0 (the default)
    /// picks one from the image size: 1 below 900x600, 2 from 900x600 (labels 14 pixels tall), and so on.
    /// </summary>
    public int TextScale { get; init; }

    /// <summary>Series line width in pixels, 1..3 (default 2).</summary>
    public double LineThickness { get; init; } = 2;

    /// <summary>Draws the plot.</summary>
    /// <returns>A new <see cref="Width"/> x <see cref="Height"/> image on a white background.</returns>
    /// <exception cref="ArgumentException">No panels, a null title or name, or settings out of range (the message says which).</exception>
    public RgbImage Render() => RenderWithLayout().Image;

    /// <summary>Renders the plot and says where each panel's chart landed (for tests).</summary>
    internal (RgbImage Image, IReadOnlyList<ChartArea> Charts) RenderWithLayout()
    {
        Validate();
        var image = new RgbImage(Width, Height, RgbColor.White);
        int textHeight = BitmapFont.CapHeight * Scale;

        // Vertical layout: title, then per panel [header (title, legend)][chart][x tick labels], then the X axis title.
        int top = Padding;
        if (Title.Length > 0)
        {
            // One step larger than the labels when it fits, else label size (truncated if need be).
            int titleScale = BitmapFont.MeasureWidth(Title, Scale + 1) <= Width - 2 * Padding ? Scale + 1 : Scale;
            string title = Fit(Title, Width - 2 * Padding, titleScale);
            image.DrawText(title, (Width - BitmapFont.MeasureWidth(title, titleScale)) / 2, top, Ink, titleScale);
            top += BitmapFont.CapHeight * titleScale + 2 * Padding;
        }
        int bottom = Height - Padding - (XAxisTitle.Length > 0 ? textHeight + Gap : 0);

        // A panel whose title and legend do not fit on one line gets two header lines. The chart width
        // depends on the header lines (through the chart height, the value ticks and their label widths),
        // so arrange once with one line each, then once more if some panel needs two.
        var headerLines = Enumerable.Repeat(1, Panels.Count).ToArray();
        Arrangement layout = Arrange(top, bottom, headerLines);
        int[] needed = Panels.Select(panel => HeaderFitsOneLine(panel, layout.ChartWidth) ? 1 : 2).ToArray();
        if (!needed.SequenceEqual(headerLines)) layout = Arrange(top, bottom, headerLines = needed);
        AxisTicks xAxis = PositionAxis(layout.ChartWidth - 1 - 2 * Inset);

        var charts = new ChartArea[Panels.Count];
        int panelTop = top;
        for (int i = 0; i < Panels.Count; i++)
        {
            int headerHeight = headerLines[i] * HeaderLineHeight;
            var chart = charts[i] = new ChartArea(layout.Left, panelTop + headerHeight, layout.ChartWidth, layout.ChartHeight, xAxis, layout.ValueAxes[i]);
            DrawHeader(image, Panels[i], layout.Left, panelTop, layout.ChartWidth, headerLines[i] == 2);
            DrawAxes(image, chart, layout.ValueAxes[i].Labels(), xAxis.Labels(), textHeight);
            DrawSeries(image, chart, Panels[i]);
            panelTop += headerHeight + layout.ChartHeight + FooterHeight + PanelGap;
        }
        if (XAxisTitle.Length > 0)
        {
            string xTitle = Fit(XAxisTitle, layout.ChartWidth, Scale);
            int xTitleLeft = layout.Left + (layout.ChartWidth - BitmapFont.MeasureWidth(xTitle, Scale)) / 2;
            image.DrawText(xTitle, xTitleLeft, Height - Padding - textHeight, Ink, Scale);
        }
        return (image, charts);
    }

    /// <summary>Renders the plot and saves it as a PNG, atomically (see <see cref="PngWriter.Save(string, RgbImage)"/>).</summary>
    /// <param name="path">Target file; its folder must exist. An existing file is replaced.</param>
    public void Save(string path) => PngWriter.Save(path, Render());

    // The text scale in use: TextScale, or the one the image size suggests.
    private int Scale => TextScale > 0 ? TextScale : Math.Clamp(Math.Min(Width / 450, Height / 300), 1, 4);

    private int HeaderLineHeight => BitmapFont.CapHeight * Scale + Gap + 2;

    private int FooterHeight => TickLength + Gap + BitmapFont.CapHeight * Scale;

    // Chart size and left edge shared by all panels, and each panel's value axis.
    private sealed record Arrangement(int Left, int ChartWidth, int ChartHeight, AxisTicks[] ValueAxes);

    private Arrangement Arrange(int top, int bottom, int[] headerLines)
    {
        int panelCount = Panels.Count;
        int chartHeight = (bottom - top - headerLines.Sum() * HeaderLineHeight - panelCount * FooterHeight - (panelCount - 1) * PanelGap) / panelCount;
        // Value axes first: their label widths decide the left margin, which decides the chart width.
        var valueAxes = Panels.Select(panel => ValueAxis(panel, chartHeight)).ToArray();
        int labelWidth = valueAxes.SelectMany(axis => axis.Labels()).Select(label => BitmapFont.MeasureWidth(label, Scale)).DefaultIfEmpty(0).Max();
        int left = Padding + labelWidth + Gap + TickLength;
        int chartWidth = Width - Padding - 2 * BitmapFont.Advance * Scale - left;
        if (chartHeight < 2 * Inset + 16 || chartWidth < 2 * Inset + 16)
            throw new ArgumentException($"A {Width}x{Height} plot is too small for {panelCount} panel(s) at text scale {Scale}.", nameof(Panels));
        return new Arrangement(left, chartWidth, chartHeight, valueAxes);
    }

    /// <summary>A panel's chart: its frame (inclusive pixel bounds) and the mapping from values to pixel centers, Inset pixels in from the frame.</summary>
    internal sealed record ChartArea(int Left, int Top, int Width, int Height, AxisTicks X, AxisTicks Y)
    {
        public int Right => Left + Width - 1;
        public int Bottom => Top + Height - 1;
        public double PixelX(double value) => Left + Inset + (value - X.Min) / (X.Max - X.Min) * (Width - 1 - 2 * Inset);
        public double PixelY(double value) => Bottom - Inset - (value - Y.Min) / (Y.Max - Y.Min) * (Height - 1 - 2 * Inset);
    }

    private AxisTicks ValueAxis(PlotPanel panel, int chartHeight)
    {
        int textHeight = BitmapFont.CapHeight * Scale;
        var values = DrawnSeries(panel).SelectMany(entry => entry.Series.Points).Where(PlotSeries.IsFinite).Select(p => p.Y).ToArray();
        int maxTicks = Math.Max(2, chartHeight / (3 * textHeight));
        return AxisTicks.Create(values.Length > 0 ? values.Min() : double.NaN, values.Length > 0 ? values.Max() : double.NaN,
            maxTicks, snapToTicks: true, integerSteps: false, panel.AxisFloor, panel.AxisCeiling);
    }

    // The shared X axis over every drawn point; fewer ticks until the widest label fits between two ticks.
    private AxisTicks PositionAxis(int usableWidth)
    {
        var xs = Panels.SelectMany(DrawnSeries).SelectMany(entry => entry.Series.Points).Where(PlotSeries.IsFinite).Select(p => p.X).ToArray();
        double low = xs.Length > 0 ? xs.Min() : double.NaN, high = xs.Length > 0 ? xs.Max() : double.NaN;
        for (int count = Math.Max(1, usableWidth / 40); ; count--)
        {
            var axis = AxisTicks.Create(low, high, count, snapToTicks: false, integerSteps: WholeNumberX);
            int widest = axis.Labels().Select(label => BitmapFont.MeasureWidth(label, Scale)).DefaultIfEmpty(0).Max();
            double spacing = axis.Step / (axis.Max - axis.Min) * usableWidth;
            if (count == 1 || widest + 2 * BitmapFont.Advance * Scale <= spacing) return axis;
        }
    }

    private int LegendWidth(PlotPanel panel) =>
        DrawnSeries(panel).Sum(entry => SwatchLength + Gap + BitmapFont.MeasureWidth(entry.Series.Name, Scale) + LegendSpacing) - LegendSpacing;

    private bool HeaderFitsOneLine(PlotPanel panel, int width) =>
        !DrawnSeries(panel).Any() || BitmapFont.MeasureWidth(panel.Title, Scale) + 2 * LegendSpacing + LegendWidth(panel) <= width;

    // The panel title on the left; the legend right-aligned on the same line or, when that is too tight, on the next.
    private void DrawHeader(RgbImage image, PlotPanel panel, int left, int top, int width, bool twoLines)
    {
        int legendWidth = Math.Max(0, LegendWidth(panel));
        int legendTop = twoLines ? top + HeaderLineHeight : top;
        int x = Math.Max(left, left + width - legendWidth);
        int middle = legendTop + BitmapFont.CapHeight * Scale / 2;
        foreach (var (series, color) in DrawnSeries(panel))
        {
            image.DrawLine(x, middle, x + SwatchLength, middle, color, LineThickness);
            image.FillCircle(x + SwatchLength / 2.0, middle, LineThickness + 1, color);
            image.DrawText(series.Name, x + SwatchLength + Gap, legendTop, LabelInk, Scale);
            x += SwatchLength + Gap + BitmapFont.MeasureWidth(series.Name, Scale) + LegendSpacing;
        }
        int titleWidth = twoLines || legendWidth == 0 ? width : width - legendWidth - 2 * LegendSpacing;
        image.DrawText(Fit(panel.Title, titleWidth, Scale), left, top, Ink, Scale);
    }

    private void DrawAxes(RgbImage image, ChartArea chart, IReadOnlyList<string> valueLabels, IReadOnlyList<string> positionLabels, int textHeight)
    {
        for (int i = 0; i < chart.Y.Ticks.Count; i++)
        {
            int y = (int)Math.Round(chart.PixelY(chart.Y.Ticks[i]));
            image.FillRectangle(chart.Left + 1, y, chart.Width - 2, 1, GridColor);
            image.FillRectangle(chart.Left - TickLength, y, TickLength, 1, FrameColor);
            int labelWidth = BitmapFont.MeasureWidth(valueLabels[i], Scale);
            image.DrawText(valueLabels[i], chart.Left - TickLength - Gap / 2 - labelWidth, y - textHeight / 2, LabelInk, Scale);
        }
        for (int i = 0; i < chart.X.Ticks.Count; i++)
        {
            int x = (int)Math.Round(chart.PixelX(chart.X.Ticks[i]));
            image.FillRectangle(x, chart.Top + 1, 1, chart.Height - 2, GridColor);
            image.FillRectangle(x, chart.Bottom + 1, 1, TickLength, FrameColor);
            int labelWidth = BitmapFont.MeasureWidth(positionLabels[i], Scale);
            int labelLeft = Math.Clamp(x - labelWidth / 2, 0, Math.Max(0, image.Width - labelWidth));
            image.DrawText(positionLabels[i], labelLeft, chart.Bottom + TickLength + Gap / 2 + 1, LabelInk, Scale);
        }
        image.FillRectangle(chart.Left, chart.Top, chart.Width, 1, FrameColor);
        image.FillRectangle(chart.Left, chart.Bottom, chart.Width, 1, FrameColor);
        image.FillRectangle(chart.Left, chart.Top, 1, chart.Height, FrameColor);
        image.FillRectangle(chart.Right, chart.Top, 1, chart.Height, FrameColor);
    }

    // Lines between consecutive finite points; dots on every point when they are few enough to stay
    // apart (about 12 px each), and always on points with no finite neighbour.
    private void DrawSeries(RgbImage image, ChartArea chart, PlotPanel panel)
    {
        foreach (var (series, color) in DrawnSeries(panel))
        {
            var points = series.Points;
            bool dots = points.Count(PlotSeries.IsFinite) * 12 <= chart.Width;
            for (int i = 0; i < points.Count; i++)
            {
                if (!PlotSeries.IsFinite(points[i])) continue;
                double x = chart.PixelX(points[i].X), y = chart.PixelY(points[i].Y);
                bool joinsPrevious = i > 0 && PlotSeries.IsFinite(points[i - 1]);
                bool joinsNext = i + 1 < points.Count && PlotSeries.IsFinite(points[i + 1]);
                if (joinsPrevious)
                    image.DrawLine(chart.PixelX(points[i - 1].X), chart.PixelY(points[i - 1].Y), x, y, color, LineThickness);
                if (dots || (!joinsPrevious && !joinsNext))
                    image.FillCircle(x, y, LineThickness + 1, color);
            }
        }
    }

    // The series that have something to draw, with their colors (palette slot = index in the panel, drawn or not).
    private static IEnumerable<(PlotSeries Series, RgbColor Color)> DrawnSeries(PlotPanel panel) =>
        panel.Series
            .Select((series, index) => (Series: series, Color: series.Color ?? RgbColor.SeriesPalette[index % RgbColor.SeriesPalette.Count]))
            .Where(entry => entry.Series.HasFinitePoints);

    // The longest prefix of text that fits in maxWidth, with "..." when cut.
    private static string Fit(string text, int maxWidth, int scale)
    {
        if (BitmapFont.MeasureWidth(text, scale) <= maxWidth) return text;
        for (int length = text.Length - 1; length > 0; length--)
            if (BitmapFont.MeasureWidth(text[..length] + "...", scale) <= maxWidth) return text[..length] + "...";
        return "";
    }

    private void Validate()
    {
        ArgumentNullException.ThrowIfNull(Title);
        ArgumentNullException.ThrowIfNull(Panels);
        ArgumentNullException.ThrowIfNull(XAxisTitle);
        if (Panels.Count == 0) throw new ArgumentException("A line plot needs at least one panel.", nameof(Panels));
        for (int i = 0; i < Panels.Count; i++)
        {
            PlotPanel panel = Panels[i] ?? throw new ArgumentException($"Panel {i} is null.", nameof(Panels));
            if (panel.Title is null || panel.Series is null) throw new ArgumentException($"Panel {i} has a null title or series list.", nameof(Panels));
            for (int j = 0; j < panel.Series.Count; j++)
                if (panel.Series[j]?.Name is null || panel.Series[j].Points is null)
                    throw new ArgumentException($"Series {j} of panel {i} (\"{panel.Title}\") is null or has a null name or point list.", nameof(Panels));
        }
        if (TextScale is < 0 or > 4) throw new ArgumentOutOfRangeException(nameof(TextScale), TextScale, "Text scale must be in 1..4, or 0 for automatic.");
        if (!(LineThickness is >= 1 and <= 3)) throw new ArgumentOutOfRangeException(nameof(LineThickness), LineThickness, "Line thickness must be in 1..3 pixels.");
        if (Width is < 64 or > RgbImage.MaxSide) throw new ArgumentOutOfRangeException(nameof(Width), Width, $"Width must be in 64..{RgbImage.MaxSide}.");
        if (Height is < 64 or > RgbImage.MaxSide) throw new ArgumentOutOfRangeException(nameof(Height), Height, $"Height must be in 64..{RgbImage.MaxSide}.");
    }
}
