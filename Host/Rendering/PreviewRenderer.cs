using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Shows camera frames: <see cref="Upload"/> copies a BGR8 frame into one reused texture (re-allocated only when the
/// size changes), <see cref="Draw"/> draws it letterboxed into a rectangle of the current framebuffer.
/// The texture holds the frame's top row first (texture row 0 = image top), so classify it with
/// <c>classifier.ClassifyTexture(TextureId, FrameWidth, FrameHeight, flipVertically: false)</c>.
/// Owns its texture, program and vertex stream; GL thread only; dispose idempotent.
/// </summary>
public sealed class PreviewRenderer : IDisposable
{
    private readonly GpuContext _context;
    private readonly GraphicsProgram _program;
    private readonly VertexStream _quad;
    private readonly List<float> _vertices = new(6 * VertexStream.FloatsPerVertex);
    private byte[] _packed = [];
    private uint _texture;
    private int _filter;

    public PreviewRenderer(GpuContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        _context = context;
        _program = new GraphicsProgram(context, "overlay.vert", "preview.frag");
        _quad = new VertexStream(context);
        _texture = context.GL.GenTexture();
    }

    /// <summary>The frame texture (GL_TEXTURE_2D, RGBA8 holding R, G, B, 1; top row first).</summary>
    public uint TextureId => _texture;

    public int FrameWidth { get; private set; }
    public int FrameHeight { get; private set; }
    public bool HasFrame => FrameWidth > 0;

    /// <summary>Where the last <see cref="Draw"/> put the image (empty before the first frame).</summary>
    public PixelRect LastImageRect { get; private set; }

    /// <summary>
    /// Uploads one BGR8 frame: <paramref name="stride"/> bytes per row (at least width * 3), top row first.
    /// Same size as before: glTexSubImage2D into the existing texture; new size: the texture is reallocated.
    /// </summary>
    public void Upload(ReadOnlySpan<byte> bgr, int width, int height, int stride)
    {
        Verify();
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Frame size must be positive; got {width}x{height}.");
        if (stride < width * 3) throw new ArgumentOutOfRangeException(nameof(stride), $"Stride {stride} is less than width * 3 = {width * 3} bytes.");
        long needed = (long)stride * (height - 1) + width * 3;
        if (bgr.Length < needed)
            throw new ArgumentException($"A {width}x{height} BGR8 frame with stride {stride} needs {needed} bytes; got {bgr.Length}.", nameof(bgr));
        ReadOnlySpan<byte> rows = Pack(bgr, width, height, stride);
        GL gl = _context.GL;
        gl.ActiveTexture(GL.TEXTURE0);
        gl.BindTexture(GL.TEXTURE_2D, _texture);
        int previousAlignment = gl.GetInteger(GL.UNPACK_ALIGNMENT);
        gl.PixelStore(GL.UNPACK_ALIGNMENT, 1);
        if (width == FrameWidth && height == FrameHeight)
        {
            gl.TexSubImage2D(GL.TEXTURE_2D, 0, 0, width, height, GL.BGR, GL.UNSIGNED_BYTE, rows);
        }
        else
        {
            gl.TexImage2D(GL.TEXTURE_2D, GL.RGBA8, width, height, GL.BGR, GL.UNSIGNED_BYTE, rows);
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MIN_FILTER, (int)GL.LINEAR);
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MAG_FILTER, (int)GL.LINEAR);
            _filter = (int)GL.LINEAR;
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_WRAP_S, (int)GL.CLAMP_TO_EDGE);
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_WRAP_T, (int)GL.CLAMP_TO_EDGE);
            FrameWidth = width;
            FrameHeight = height;
        }
        gl.PixelStore(GL.UNPACK_ALIGNMENT, previousAlignment);
        gl.BindTexture(GL.TEXTURE_2D, 0);
        _context.CheckError($"uploading a {width}x{height} preview frame");
    }

    /// <summary>
    /// Fills <paramref name="area"/> with <paramref name="barColor"/> and draws the last frame into the largest
    /// centred rectangle of the frame's aspect ratio inside it. Returns that rectangle (also <see cref="LastImageRect"/>).
    /// </summary>
    public PixelRect Draw(int targetWidth, int targetHeight, PixelRect area, RgbColor barColor)
    {
        Verify();
        RenderState.RequireTargetSize(targetWidth, targetHeight);
        GL gl = _context.GL;
        RenderState.Prepare2D(gl, targetWidth, targetHeight, blend: false);
        ClearArea(gl, targetHeight, area, barColor);
        if (!HasFrame) return LastImageRect = new PixelRect(area.X, area.Y, 0, 0);
        PixelRect image = Letterbox.Fit(FrameWidth, FrameHeight, area);
        _vertices.Clear();
        VertexStream.AppendQuad(_vertices, image, 0, 0, 1, 1, new RgbaColor(1, 1, 1));
        gl.UseProgram(_program.Id);
        _program.Set("targetSize", targetWidth, targetHeight);
        gl.ActiveTexture(GL.TEXTURE0);
        gl.BindTexture(GL.TEXTURE_2D, _texture);
        // Drawn 1:1, nearest and linear sampling give the same pixels; nearest is cheaper on software renderers.
        int filter = (int)(image.Width == FrameWidth && image.Height == FrameHeight ? GL.NEAREST : GL.LINEAR);
        if (filter != _filter)
        {
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MIN_FILTER, filter);
            gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MAG_FILTER, filter);
            _filter = filter;
        }
        _quad.DrawTriangles(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_vertices));
        gl.BindTexture(GL.TEXTURE_2D, 0);
        gl.UseProgram(0);
        return LastImageRect = image;
    }

    // Scissored clear: glScissor counts rows from the bottom of the target.
    private static void ClearArea(GL gl, int targetHeight, PixelRect area, RgbColor color)
    {
        int x = (int)MathF.Round(area.X), top = (int)MathF.Round(area.Y);
        int width = (int)MathF.Round(area.Right) - x, height = (int)MathF.Round(area.Bottom) - top;
        if (width <= 0 || height <= 0) return;
        gl.Enable(GL.SCISSOR_TEST);
        gl.Scissor(x, targetHeight - top - height, width, height);
        gl.ClearColor(color.R / 255f, color.G / 255f, color.B / 255f, 1f);
        gl.Clear(GL.COLOR_BUFFER_BIT);
        gl.Disable(GL.SCISSOR_TEST);
    }

    // Rows with padding are copied into one tight buffer (UNPACK_ROW_LENGTH counts pixels, a stride need not).
    private ReadOnlySpan<byte> Pack(ReadOnlySpan<byte> bgr, int width, int height, int stride)
    {
        int rowBytes = width * 3;
        if (stride == rowBytes) return bgr[..(rowBytes * height)];
        if (_packed.Length < rowBytes * height) _packed = new byte[rowBytes * height];
        for (int y = 0; y < height; y++) bgr.Slice(y * stride, rowBytes).CopyTo(_packed.AsSpan(y * rowBytes));
        return _packed.AsSpan(0, rowBytes * height);
    }

    private void Verify()
    {
        ObjectDisposedException.ThrowIf(_texture == 0, this);
        _context.VerifyAccess();
    }

    public void Dispose()
    {
        if (_texture == 0) return;
        _context.VerifyAccess();
        _context.GL.DeleteTexture(_texture);
        _texture = 0;
        _quad.Dispose();
        _program.Dispose();
    }
}
