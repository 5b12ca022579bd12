using VisionPlugin.Engine;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Draws a <see cref="HudState"/> over the current framebuffer: lays it out (<see cref="OverlayLayout"/>) and replays
/// the items through one <see cref="OverlayRenderer"/> batch. Text is rasterized for the target's height
/// (<see cref="HudTheme.LineHeightFor"/>); one glyph atlas is kept per line height met, so resizing back and forth
/// costs nothing after the first time. Owns its renderer and atlases; GL thread only; dispose idempotent.
/// </summary>
public sealed class HudView : IDisposable
{
    private readonly GpuContext _context;
    private readonly Func<int, IGlyphRasterizer> _rasterizerForLineHeight;
    private readonly OverlayRenderer _overlay;
    private readonly Dictionary<int, GlyphAtlas> _atlases = [];
    private bool _disposed;

    /// <param name="context">The GL context to draw in.</param>
    /// <param name="rasterizerForLineHeight">Makes a rasterizer for a line height in pixels; default: <see cref="BitmapFontRasterizer"/>.</param>
    public HudView(GpuContext context, Func<int, IGlyphRasterizer>? rasterizerForLineHeight = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _rasterizerForLineHeight = rasterizerForLineHeight ?? (lineHeight => new BitmapFontRasterizer(lineHeight));
        _overlay = new OverlayRenderer(context);
    }

    /// <summary>The layout of the last <see cref="Draw"/> (null before the first).</summary>
    public OverlayLayout? LastLayout { get; private set; }

    /// <summary>The glyph atlas used for a target of that size (built on first use).</summary>
    public GlyphAtlas AtlasFor(int targetWidth, int targetHeight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int lineHeight = HudTheme.LineHeightFor(targetWidth, targetHeight);
        if (!_atlases.TryGetValue(lineHeight, out GlyphAtlas? atlas))
            _atlases[lineHeight] = atlas = new GlyphAtlas(_context, _rasterizerForLineHeight(lineHeight));
        return atlas;
    }

    /// <summary>Draws <paramref name="state"/> over the current framebuffer of the given size (one draw call). Returns the layout used.</summary>
    public OverlayLayout Draw(HudState state, int targetWidth, int targetHeight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GlyphAtlas atlas = AtlasFor(targetWidth, targetHeight);
        OverlayLayout layout = OverlayLayout.Compute(state, targetWidth, targetHeight, atlas);
        _overlay.Begin(targetWidth, targetHeight, atlas);
        foreach (HudItem item in layout.Items)
        {
            if (item.Kind == HudItemKind.Rectangle) _overlay.FillRectangle(item.Rect, item.Color);
            else _overlay.DrawText(item.Text, item.Rect.X, item.Rect.Y, item.Color);
        }
        _overlay.End();
        return LastLayout = layout;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (GlyphAtlas atlas in _atlases.Values) atlas.Dispose();
        _atlases.Clear();
        _overlay.Dispose();
    }
}
