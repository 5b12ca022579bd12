using VisionPlugin.Engine;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests;

/// <summary>Preview + HUD renderers in one context, drawing the app's frame into the current framebuffer and reading it back.</summary>
internal sealed class SceneRig(GpuContext context) : IDisposable
{
    public PreviewRenderer Preview { get; } = new(context);
    public HudView Hud { get; } = new(context);

    /// <summary>Draws the uploaded frame letterboxed over the whole target, then the HUD (when given); returns the image rectangle.</summary>
    public PixelRect Draw(int width, int height, HudState? state)
    {
        PixelRect image = Preview.Draw(width, height, new PixelRect(0, 0, width, height), HudTheme.LetterboxBars);
        if (state is not null) Hud.Draw(state, width, height);
        return image;
    }

    public RgbImage Read(int width, int height) => FramebufferReader.ReadRgb(context, width, height);

    public void Dispose()
    {
        Hud.Dispose();
        Preview.Dispose();
    }
}
