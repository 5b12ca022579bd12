using VisionPlugin.Engine;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Live;

/// <summary>Draws the live view into the current framebuffer: the newest frame letterboxed over the whole target, then the HUD.</summary>
internal sealed class LiveRenderer(GpuContext context, Func<int, IGlyphRasterizer>? rasterizer = null) : IDisposable
{
    private readonly PreviewRenderer _preview = new(context);
    private readonly HudView _hud = new(context, rasterizer);
    private long _uploadedSequence = -1;

    /// <summary>The preview texture (the newest frame as RGB).</summary>
    public uint PreviewTexture => _preview.TextureId;

    /// <summary>Uploads <paramref name="frame"/> unless it is already on the GPU.</summary>
    public void Upload(CapturedFrame frame)
    {
        if (frame.Sequence == _uploadedSequence) return;
        _preview.Upload(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride);
        _uploadedSequence = frame.Sequence;
    }

    /// <summary>Draws preview and HUD into a <paramref name="width"/> x <paramref name="height"/> target.</summary>
    public OverlayLayout Draw(HudState state, int width, int height)
    {
        _preview.Draw(width, height, new PixelRect(0, 0, width, height), HudTheme.LetterboxBars);
        return _hud.Draw(state, width, height);
    }

    public void Dispose()
    {
        _hud.Dispose();
        _preview.Dispose();
    }
}
