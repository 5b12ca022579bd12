using System.Globalization;
using System.Text;

namespace VisionPlugin.Host.Rendering;

/// <summary>What one overlay element is: a filled rectangle or a line of text.</summary>
public enum HudItemKind { Rectangle, Text }

/// <summary>
/// One element of the overlay in draw order. For text, <see cref="Rect"/> is the line box: (X, Y) its top-left
/// corner, Width the text's advance width, Height the line height.
/// </summary>
public readonly record struct HudItem(HudItemKind Kind, PixelRect Rect, RgbaColor Color, string Text = "");

/// <summary>
/// Where every part of the HUD goes for one <see cref="HudState"/> on a target of a given size: a list of items in
/// draw order plus the named panel rectangles (for tests and hit checks). Pure arithmetic, no GL.
/// </summary>
/// <remarks>
/// Arrangement (L = line height = target height / 27, margins 0.6 L, padding 0.5 L, columns at most 18 L wide):
/// a full-width warning banner at the top (source problems); below it two columns that never meet —
/// predictions then samples per class on the left, statistics then help on the right; at the bottom a
/// full-width training panel (accuracy line, status line, progress bar) with the transient message above it,
/// centred. Panels are semi-transparent so the preview shows through. Text that does not fit is ellipsized;
/// rows that do not fit are dropped (the class list then says how many are hidden).
/// </remarks>
public sealed class OverlayLayout
{
    public const string WarningPanel = "warning", PredictionsPanel = "predictions", StatsPanel = "stats",
        ClassesPanel = "classes", HelpPanel = "help", TrainingPanel = "training", MessagePanel = "message";

    private readonly List<HudItem> _items = [];
    private readonly Dictionary<string, PixelRect> _panels = new(StringComparer.Ordinal);
    private readonly List<PixelRect> _predictionBars = [];
    private readonly GlyphAtlas _font;
    private readonly float _line, _margin, _padding, _gap;

    private OverlayLayout(GlyphAtlas font)
    {
        _font = font;
        _line = font.LineHeight;
        _margin = MathF.Round(0.6f * _line);
        _padding = MathF.Round(0.5f * _line);
        _gap = MathF.Max(2, MathF.Round(0.25f * _line));
    }

    public IReadOnlyList<HudItem> Items => _items;

    /// <summary>Panel rectangles by name (<see cref="WarningPanel"/>, ...); only the panels shown.</summary>
    public IReadOnlyDictionary<string, PixelRect> Panels => _panels;

    /// <summary>The filled part of each prediction's bar, by rank (best first), for the rows shown.</summary>
    public IReadOnlyList<PixelRect> PredictionBars => _predictionBars;

    /// <summary>Lays out <paramref name="state"/> on a <paramref name="width"/> x <paramref name="height"/> target, measuring text with <paramref name="font"/>.</summary>
    public static OverlayLayout Compute(HudState state, int width, int height, GlyphAtlas font)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(font);
        RenderState.RequireTargetSize(width, height);
        var layout = new OverlayLayout(font);
        layout.Arrange(state, width, height);
        return layout;
    }

    private void Arrange(HudState state, int width, int height)
    {
        float m = _margin, top = m, bottom = height - m, fullWidth = width - 2 * m;
        if (!string.IsNullOrWhiteSpace(state.SourceStatus) && _line + 2 * _padding <= bottom - top)
        {
            var banner = Panel(WarningPanel, new PixelRect(m, top, fullWidth, _line + 2 * _padding), HudTheme.Warning);
            Text(state.SourceStatus, banner.X + _padding, banner.Y + _padding, banner.Width - 2 * _padding, HudTheme.WarningText, centre: true);
            top = banner.Bottom + m;
        }
        bottom = ArrangeTraining(state, m, top, bottom, fullWidth);
        bottom = ArrangeMessage(state, width, top, bottom);
        // Two columns with a margin between them, each at most 18 lines wide so panels stay compact on wide targets.
        float columnWidth = MathF.Floor(MathF.Min((width - 3 * m) / 2, 18 * _line));
        if (columnWidth < 4 * _line) return;
        float left = ArrangePredictions(state.Predictions, m, top, columnWidth, bottom);
        ArrangeClasses(state.Classes, m, left, columnWidth, bottom);
        // The right column's panels share one width: the widest of their lines, up to the column width.
        List<string> stats = StatsLines(state);
        IReadOnlyList<string> help = state.ShowHelp ? state.HelpLines : [];
        float rightWidth = MathF.Min(columnWidth, MathF.Ceiling(stats.Concat(help).Select(l => _font.MeasureWidth(ToAscii(l))).DefaultIfEmpty(0).Max()) + 2 * _padding);
        float right = TextPanel(StatsPanel, stats, width - m, top, rightWidth, bottom);
        TextPanel(HelpPanel, help, width - m, right, rightWidth, bottom);
    }

    private float ArrangeTraining(HudState state, float x, float top, float bottom, float width)
    {
        var lines = new List<(string Text, RgbaColor Color)>();
        if (!string.IsNullOrWhiteSpace(state.AccuracyLine)) lines.Add((state.AccuracyLine, HudTheme.DimText));
        if (state.Training is { } training && !string.IsNullOrWhiteSpace(training.Status)) lines.Add((training.Status, HudTheme.Text));
        double? progress = state.Training?.Progress;
        if (lines.Count == 0 && progress is null) return bottom;
        float barHeight = MathF.Max(4, MathF.Round(0.35f * _line));
        float height = lines.Count * _line + (progress is null ? 0 : _gap + barHeight) + 2 * _padding;
        if (height > bottom - top) return bottom;
        var panel = Panel(TrainingPanel, new PixelRect(x, bottom - height, width, height), HudTheme.Panel);
        float y = panel.Y + _padding;
        foreach ((string text, RgbaColor color) in lines)
        {
            Text(text, panel.X + _padding, y, panel.Width - 2 * _padding, color);
            y += _line;
        }
        if (progress is { } fraction) Bar(new PixelRect(panel.X + _padding, y + _gap, panel.Width - 2 * _padding, barHeight), fraction, HudTheme.Progress);
        return panel.Y - _margin;
    }

    private float ArrangeMessage(HudState state, int targetWidth, float top, float bottom)
    {
        if (string.IsNullOrWhiteSpace(state.Message)) return bottom;
        string text = Fit(state.Message, targetWidth - 2 * _margin - 2 * _padding);
        float width = _font.MeasureWidth(text) + 2 * _padding, height = _line + 2 * _padding;
        if (height > bottom - top || text.Length == 0) return bottom;
        var panel = Panel(MessagePanel, new PixelRect(MathF.Floor((targetWidth - width) / 2), bottom - height, width, height), HudTheme.MessagePanel);
        Text(text, panel.X + _padding, panel.Y + _padding, width, HudTheme.Text);
        return panel.Y - _margin;
    }

    private float ArrangePredictions(IReadOnlyList<HudPrediction> predictions, float x, float top, float width, float bottom)
    {
        if (predictions.Count == 0) return top;
        float barHeight = MathF.Max(3, MathF.Round(0.3f * _line)), rowHeight = _line + barHeight + _gap;
        int rows = Math.Min(predictions.Count, (int)((bottom - top - 2 * _padding + _gap) / rowHeight));
        if (rows < 1) return top;
        var panel = Panel(PredictionsPanel, new PixelRect(x, top, width, rows * rowHeight - _gap + 2 * _padding), HudTheme.Panel);
        float inner = width - 2 * _padding, y = top + _padding;
        for (int rank = 0; rank < rows; rank++)
        {
            HudPrediction prediction = predictions[rank];
            double probability = double.IsFinite(prediction.Probability) ? Math.Clamp(prediction.Probability, 0, 1) : 0;
            string percent = (probability * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
            float percentWidth = _font.MeasureWidth(percent);
            RgbaColor color = rank == 0 ? HudTheme.Text : HudTheme.DimText;
            Text(prediction.Label, panel.X + _padding, y, inner - percentWidth - _padding, color);
            Text(percent, panel.Right - _padding - percentWidth, y, percentWidth, color);
            _predictionBars.Add(Bar(new PixelRect(panel.X + _padding, y + _line, inner, barHeight), probability, HudTheme.RankColor(rank)));
            y += rowHeight;
        }
        return panel.Bottom + _margin;
    }

    private void ArrangeClasses(IReadOnlyList<HudClass> classes, float x, float top, float width, float bottom)
    {
        if (classes.Count == 0) return;
        int fitting = (int)((bottom - top - 2 * _padding) / _line) - 1;   // one line for the header
        if (fitting < 1) return;
        int shown = classes.Count <= fitting ? classes.Count : fitting - 1;
        int lines = 1 + shown + (shown < classes.Count ? 1 : 0);
        var panel = Panel(ClassesPanel, new PixelRect(x, top, width, lines * _line + 2 * _padding), HudTheme.Panel);
        float inner = width - 2 * _padding, y = top + _padding;
        Text("Samples per class", panel.X + _padding, y, inner, HudTheme.DimText);
        float badge = _font.MeasureWidth("0") + _padding;
        for (int i = 0; i < shown; i++)
        {
            HudClass item = classes[i];
            y += _line;
            string count = item.SampleCount.ToString(CultureInfo.InvariantCulture);
            float countWidth = _font.MeasureWidth(count);
            var badgeRect = new PixelRect(panel.X + _padding, y + 1, badge, _line - 2);
            Rectangle(badgeRect, HudTheme.KeyBadge);
            string key = item.Key.ToString(CultureInfo.InvariantCulture);
            Text(key, badgeRect.X + MathF.Floor((badge - _font.MeasureWidth(key)) / 2), y, badge, HudTheme.Text);
            float nameX = badgeRect.Right + _padding;
            Text(item.Name, nameX, y, panel.Right - _padding - countWidth - _padding - nameX, HudTheme.Text);
            Text(count, panel.Right - _padding - countWidth, y, countWidth, HudTheme.DimText);
        }
        if (shown < classes.Count) Text($"+{classes.Count - shown} more", panel.X + _padding, y + _line, inner, HudTheme.DimText);
    }

    private static List<string> StatsLines(HudState state)
    {
        var lines = new List<string>();
        var rate = new List<string>();
        if (state.FramesPerSecond is { } fps && double.IsFinite(fps)) rate.Add(fps.ToString("0.0", CultureInfo.InvariantCulture) + " fps");
        if (state.InferenceMilliseconds is { } ms && double.IsFinite(ms)) rate.Add("inference " + ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms");
        if (rate.Count > 0) lines.Add(string.Join("  |  ", rate));
        if (!string.IsNullOrWhiteSpace(state.ModelName)) lines.Add("Model: " + state.ModelName);
        if (!string.IsNullOrWhiteSpace(state.SourceName)) lines.Add("Source: " + state.SourceName);
        return lines;
    }

    // A right-aligned panel of plain lines, `width` wide, with as many lines as fit above `bottom`.
    private float TextPanel(string name, IReadOnlyList<string> lines, float right, float top, float width, float bottom)
    {
        int count = Math.Min(lines.Count, (int)((bottom - top - 2 * _padding) / _line));
        if (count < 1) return top;
        var panel = Panel(name, new PixelRect(right - width, top, width, count * _line + 2 * _padding), HudTheme.Panel);
        for (int i = 0; i < count; i++) Text(lines[i], panel.X + _padding, panel.Y + _padding + i * _line, width - 2 * _padding, HudTheme.Text);
        return panel.Bottom + _margin;
    }

    private PixelRect Panel(string name, PixelRect rect, RgbaColor color)
    {
        _panels[name] = rect;
        Rectangle(rect, color);
        return rect;
    }

    // Track over the full width, then the filled fraction on top; returns the filled part.
    private PixelRect Bar(PixelRect track, double fraction, RgbaColor color)
    {
        Rectangle(track, HudTheme.BarTrack);
        var filled = track with { Width = MathF.Round(track.Width * (float)Math.Clamp(fraction, 0, 1)) };
        Rectangle(filled, color);
        return filled;
    }

    private void Rectangle(PixelRect rect, RgbaColor color) => _items.Add(new HudItem(HudItemKind.Rectangle, rect, color));

    private void Text(string text, float x, float y, float maxWidth, RgbaColor color, bool centre = false)
    {
        string fitted = Fit(text, maxWidth);
        float width = _font.MeasureWidth(fitted);
        if (centre) x += MathF.Floor((maxWidth - width) / 2);
        if (fitted.Length > 0) _items.Add(new HudItem(HudItemKind.Text, new PixelRect(x, y, width, _line), color, fitted));
    }

    private string Fit(string text, float maxWidth) => _font.Ellipsize(ToAscii(text), maxWidth);

    /// <summary>The overlay fonts cover printable ASCII: common typography becomes its ASCII look-alike, the rest '?'.</summary>
    internal static string ToAscii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            ascii.Append(c switch
            {
                >= ' ' and <= '~' => c.ToString(),
                '\u2013' or '\u2014' or '\u2212' => "-",
                '\u00B7' or '\u2022' => "|",
                '\u2026' => "...",
                '\u00D7' => "x",
                '\u2018' or '\u2019' => "'",
                '\u201C' or '\u201D' => "\"",
                '\t' => " ",
                _ => "?",
            });
        }
        return ascii.ToString();
    }
}
