using System.Runtime.InteropServices;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Batched 2D drawing over whatever framebuffer is current, in pixel coordinates (origin top-left, y down):
/// <see cref="Begin"/>, any number of <see cref="FillRectangle"/> and <see cref="DrawText"/> calls (queued in
/// order, later over earlier), then <see cref="End"/> issues one draw with straight-alpha blending.
/// Owns its program and vertex stream (not the atlas); GL thread only; dispose idempotent.
/// </summary>
public sealed class OverlayRenderer : IDisposable
{
    private readonly GpuContext _context;
    private readonly GraphicsProgram _program;
    private readonly VertexStream _stream;
    private readonly List<float> _vertices = [];
    private GlyphAtlas? _atlas;
    private int _targetWidth, _targetHeight;
    private bool _disposed;

    public OverlayRenderer(GpuContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        _context = context;
        _program = new GraphicsProgram(context, "overlay.vert", "overlay.frag");
        _stream = new VertexStream(context);
    }

    /// <summary>Quads queued since <see cref="Begin"/>.</summary>
    public int QueuedQuads => _vertices.Count / (6 * VertexStream.FloatsPerVertex);

    /// <summary>Starts a batch for a target of the given size, drawing text with <paramref name="atlas"/>.</summary>
    public void Begin(int targetWidth, int targetHeight, GlyphAtlas atlas)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(atlas);
        RenderState.RequireTargetSize(targetWidth, targetHeight);
        (_targetWidth, _targetHeight, _atlas) = (targetWidth, targetHeight, atlas);
        _vertices.Clear();
    }

    /// <summary>Queues a filled rectangle (alpha below 1 lets what is under it show through).</summary>
    public void FillRectangle(PixelRect rect, RgbaColor color)
    {
        GlyphAtlas atlas = RequireBatch();
        if (rect.IsEmpty || color.A <= 0) return;
        (float u, float v) = atlas.SolidTexCoord;
        VertexStream.AppendQuad(_vertices, rect, u, v, u, v, color);
    }

    /// <summary>
    /// Queues one line of text whose line box starts at (<paramref name="x"/>, <paramref name="top"/>); the baseline is
    /// <c>top + atlas.Ascent</c>. Returns the advance width drawn.
    /// </summary>
    public float DrawText(string text, float x, float top, RgbaColor color)
    {
        GlyphAtlas atlas = RequireBatch();
        ArgumentNullException.ThrowIfNull(text);
        float pen = x, baseline = MathF.Round(top) + atlas.Ascent;
        float invWidth = 1f / atlas.Width, invHeight = 1f / atlas.Height;
        foreach (char c in text)
        {
            GlyphAtlas.AtlasGlyph glyph = atlas.Glyph(c);
            if (glyph.Width > 0 && glyph.Height > 0)
            {
                // Whole-pixel placement keeps the 1:1 texel-to-pixel mapping (sharp text with nearest filtering).
                var quad = new PixelRect(MathF.Round(pen) + glyph.BearingX, baseline - glyph.BearingY, glyph.Width, glyph.Height);
                VertexStream.AppendQuad(_vertices, quad,
                    glyph.X * invWidth, glyph.Y * invHeight, (glyph.X + glyph.Width) * invWidth, (glyph.Y + glyph.Height) * invHeight, color);
            }
            pen += glyph.Advance;
        }
        return pen - x;
    }

    /// <summary>Draws everything queued since <see cref="Begin"/> in one draw call and ends the batch.</summary>
    public void End()
    {
        GlyphAtlas atlas = RequireBatch();
        GL gl = _context.GL;
        RenderState.Prepare2D(gl, _targetWidth, _targetHeight, blend: true);
        gl.UseProgram(_program.Id);
        _program.Set("targetSize", _targetWidth, _targetHeight);
        gl.ActiveTexture(GL.TEXTURE0);
        gl.BindTexture(GL.TEXTURE_2D, atlas.TextureId);
        _stream.DrawTriangles(CollectionsMarshal.AsSpan(_vertices));
        gl.BindTexture(GL.TEXTURE_2D, 0);
        gl.UseProgram(0);
        gl.Disable(GL.BLEND);
        _vertices.Clear();
        _atlas = null;
    }

    private GlyphAtlas RequireBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _context.VerifyAccess();
        return _atlas ?? throw new InvalidOperationException("Call Begin before drawing overlay shapes.");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _context.VerifyAccess();
        _stream.Dispose();
        _program.Dispose();
    }
}
