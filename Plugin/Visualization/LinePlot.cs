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

    /// <summary>Magnification of the 5x7 font for labels, 1..4 (default 2); the title is one step larger.</summary>
    public int TextScale { get; init; } = 2;

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
        int textHeight = BitmapFont.CapHeight * TextScale;

        // Vertical layout: title, then per panel [header (title, legend)][chart][x tick labels], then the X axis title.
        int top = Padding;
        if (Title.Length > 0)
        {
            // One step larger than the labels when it fits, else label size (truncated if need be).
            int titleScale = BitmapFont.MeasureWidth(Title, TextScale + 1) <= Width - 2 * Padding ? TextScale + 1 : TextScale;
            string title = Fit(Title, Width - 2 * Padding, titleScale);
            image.DrawText(title, (Width - BitmapFont.MeasureWidth(title, titleScale)) / 2, top, Ink, titleScale);
            top += BitmapFont.CapHeight * titleScale + 2 * Padding;
        }
        int bottom = Height - Padding - (XAxisTitle.Length > 0 ? textHeight + Gap : 0);
        int headerHeight = textHeight + Gap + 2, footerHeight = TickLength + Gap + textHeight;
        int panelCount = Panels.Count;
        int chartHeight = (bottom - top - panelCount * (headerHeight + footerHeight) - (panelCount - 1) * PanelGap) / panelCount;

        // Value axes first: their label widths decide the left margin, which decides the chart width.
        var valueAxes = Panels.Select(panel => ValueAxis(panel, chartHeight, textHeight)).ToArray();
        var valueLabels = valueAxes.Select(axis => axis.Labels()).ToArray();
        int labelWidth = valueLabels.SelectMany(labels => labels).Select(label => BitmapFont.MeasureWidth(label, TextScale)).DefaultIfEmpty(0).Max();
        int left = Padding + labelWidth + Gap + TickLength;
        int chartWidth = Width - Padding - 2 * BitmapFont.Advance * TextScale - left;
        if (chartHeight < 2 * Inset + 16 || chartWidth < 2 * Inset + 16)
            throw new ArgumentException($"A {Width}x{Height} plot is too small for {panelCount} panel(s) at text scale {TextScale}.", nameof(Panels));
        AxisTicks xAxis = PositionAxis(chartWidth - 1 - 2 * Inset);

        var charts = new ChartArea[panelCount];
        for (int i = 0; i < panelCount; i++)
        {
            int panelTop = top + i * (headerHeight + chartHeight + footerHeight + PanelGap);
            var chart = charts[i] = new ChartArea(left, panelTop + headerHeight, chartWidth, chartHeight, xAxis, valueAxes[i]);
            DrawHeader(image, Panels[i], left, panelTop, chartWidth);
            DrawAxes(image, chart, valueLabels[i], xAxis.Labels(), textHeight);
            DrawSeries(image, chart, Panels[i]);
        }
        if (XAxisTitle.Length > 0)
        {
            string xTitle = Fit(XAxisTitle, chartWidth, TextScale);
            image.DrawText(xTitle, left + (chartWidth - BitmapFont.MeasureWidth(xTitle, TextScale)) / 2, Height - Padding - textHeight, Ink, TextScale);
        }
        return (image, charts);
    }

    /// <summary>Renders the plot and saves it as a PNG, atomically (see <see cref="PngWriter.Save(string, RgbImage)"/>).</summary>
    /// <param name="path">Target file; its folder must exist. An existing file is replaced.</param>
    public void Save(string path) => PngWriter.Save(path, Render());

    /// <summary>A panel's chart: its frame (inclusive pixel bounds) and the mapping from values to pixel centers, Inset pixels in from the frame.</summary>
    internal sealed record ChartArea(int Left, int Top, int Width, int Height, AxisTicks X, AxisTicks Y)
    {
        public int Right => Left + Width - 1;
        public int Bottom => Top + Height - 1;
        public double PixelX(double value) => Left + Inset + (value - X.Min) / (X.Max - X.Min) * (Width - 1 - 2 * Inset);
        public double PixelY(double value) => Bottom - Inset - (value - Y.Min) / (Y.Max - Y.Min) * (Height - 1 - 2 * Inset);
    }

    private AxisTicks ValueAxis(PlotPanel panel, int chartHeight, int textHeight)
    {
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
            int widest = axis.Labels().Select(label => BitmapFont.MeasureWidth(label, TextScale)).DefaultIfEmpty(0).Max();
            double spacing = axis.Step / (axis.Max - axis.Min) * usableWidth;
            if (count == 1 || widest + 2 * BitmapFont.Advance * TextScale <= spacing) return axis;
        }
    }

    private void DrawHeader(RgbImage image, PlotPanel panel, int left, int top, int width)
    {
        var entries = DrawnSeries(panel).Select(entry => (entry.Series.Name, entry.Color)).ToArray();
        int legendWidth = entries.Sum(entry => SwatchLength + Gap + BitmapFont.MeasureWidth(entry.Name, TextScale)) + Math.Max(0, entries.Length - 1) * LegendSpacing;
        int x = left + width - legendWidth;
        int middle = top + BitmapFont.CapHeight * TextScale / 2;
        foreach (var (name, color) in entries)
        {
            image.DrawLine(x, middle, x + SwatchLength, middle, color, LineThickness);
            image.FillCircle(x + SwatchLength / 2.0, middle, LineThickness + 1, color);
            image.DrawText(name, x + SwatchLength + Gap, top, LabelInk, TextScale);
            x += SwatchLength + Gap + BitmapFont.MeasureWidth(name, TextScale) + LegendSpacing;
        }
        image.DrawText(Fit(panel.Title, width - legendWidth - 2 * LegendSpacing, TextScale), left, top, Ink, TextScale);
    }

    private void DrawAxes(RgbImage image, ChartArea chart, IReadOnlyList<string> valueLabels, IReadOnlyList<string> positionLabels, int textHeight)
    {
        for (int i = 0; i < chart.Y.Ticks.Count; i++)
        {
            int y = (int)Math.Round(chart.PixelY(chart.Y.Ticks[i]));
            image.FillRectangle(chart.Left + 1, y, chart.Width - 2, 1, GridColor);
            image.FillRectangle(chart.Left - TickLength, y, TickLength, 1, FrameColor);
            int labelWidth = BitmapFont.MeasureWidth(valueLabels[i], TextScale);
            image.DrawText(valueLabels[i], chart.Left - TickLength - Gap / 2 - labelWidth, y - textHeight / 2, LabelInk, TextScale);
        }
        for (int i = 0; i < chart.X.Ticks.Count; i++)
        {
            int x = (int)Math.Round(chart.PixelX(chart.X.Ticks[i]));
            image.FillRectangle(x, chart.Top + 1, 1, chart.Height - 2, GridColor);
            image.FillRectangle(x, chart.Bottom + 1, 1, TickLength, FrameColor);
            int labelWidth = BitmapFont.MeasureWidth(positionLabels[i], TextScale);
            int labelLeft = Math.Clamp(x - labelWidth / 2, 0, Math.Max(0, image.Width - labelWidth));
            image.DrawText(positionLabels[i], labelLeft, chart.Bottom + TickLength + Gap / 2 + 1, LabelInk, TextScale);
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
        if (TextScale is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(TextScale), TextScale, "Text scale must be in 1..4.");
        if (!(LineThickness is >= 1 and <= 3)) throw new ArgumentOutOfRangeException(nameof(LineThickness), LineThickness, "Line thickness must be in 1..3 pixels.");
        if (Width is < 64 or > RgbImage.MaxSide) throw new ArgumentOutOfRangeException(nameof(Width), Width, $"Width must be in 64..{RgbImage.MaxSide}.");
        if (Height is < 64 or > RgbImage.MaxSide) throw new ArgumentOutOfRangeException(nameof(Height), Height, $"Height must be in 64..{RgbImage.MaxSide}.");
    }
}
