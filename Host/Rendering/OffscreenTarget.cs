using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// A framebuffer object with one RGBA8 colour texture: somewhere to render without a window (headless EGL
/// contexts have no default framebuffer) and the source of headless screenshots. <see cref="Bind"/> makes it the
/// draw and read target; <see cref="Unbind"/> returns to the default framebuffer (the window's).
/// Owns the FBO and the texture; dispose on the GL thread (idempotent).
/// </summary>
public sealed class OffscreenTarget : IDisposable
{
    private readonly GpuContext _context;
    private uint _framebuffer;
    private uint _texture;

    /// <exception cref="GpuException">The driver refused the framebuffer (status code in the message).</exception>
    public OffscreenTarget(GpuContext context, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        _context = context;
        GL gl = context.GL;
        _framebuffer = gl.GenFramebuffer();
        _texture = gl.GenTexture();
        Allocate(width, height);
    }

    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>The colour texture (GL_TEXTURE_2D, RGBA8, bottom row first); e.g. for <c>Classifier.ClassifyTexture</c>.</summary>
    public uint TextureId => _texture;

    /// <summary>Makes this target the draw and read framebuffer.</summary>
    public void Bind()
    {
        Verify();
        _context.GL.BindFramebuffer(GL.FRAMEBUFFER, _framebuffer);
    }

    /// <summary>Binds the default framebuffer (the window's back buffer) again.</summary>
    public void Unbind()
    {
        Verify();
        _context.GL.BindFramebuffer(GL.FRAMEBUFFER, 0);
    }

    /// <summary>Reallocates the colour texture at a new size (contents become undefined); no-op when unchanged.</summary>
    public void Resize(int width, int height)
    {
        Verify();
        if (width == Width && height == Height) return;
        Allocate(width, height);
    }

    private void Allocate(int width, int height)
    {
        int maxSide = _context.GL.GetInteger(GL.MAX_TEXTURE_SIZE);
        if (width < 1 || height < 1 || width > maxSide || height > maxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"Offscreen target must be 1..{maxSide} pixels on each side; got {width}x{height}.");
        GL gl = _context.GL;
        int previous = gl.GetInteger(GL.FRAMEBUFFER_BINDING);
        gl.BindTexture(GL.TEXTURE_2D, _texture);
        gl.TexImage2D(GL.TEXTURE_2D, GL.RGBA8, width, height, GL.RGBA, GL.UNSIGNED_BYTE, []);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MIN_FILTER, (int)GL.LINEAR);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MAG_FILTER, (int)GL.LINEAR);
        gl.BindTexture(GL.TEXTURE_2D, 0);
        gl.BindFramebuffer(GL.FRAMEBUFFER, _framebuffer);
        gl.FramebufferTexture2D(GL.FRAMEBUFFER, GL.COLOR_ATTACHMENT0, GL.TEXTURE_2D, _texture, 0);
        uint status = gl.CheckFramebufferStatus(GL.FRAMEBUFFER);
        gl.BindFramebuffer(GL.FRAMEBUFFER, (uint)previous);
        if (status != GL.FRAMEBUFFER_COMPLETE)
            throw new GpuException($"Offscreen framebuffer {width}x{height} is incomplete (status 0x{status:X4}) on '{_context.Device.Renderer}'.");
        _context.CheckError($"allocating a {width}x{height} offscreen target");
        Width = width;
        Height = height;
    }

    private void Verify()
    {
        ObjectDisposedException.ThrowIf(_framebuffer == 0, this);
        _context.VerifyAccess();
    }

    public void Dispose()
    {
        if (_framebuffer == 0) return;
        _context.VerifyAccess();
        GL gl = _context.GL;
        if (gl.GetInteger(GL.FRAMEBUFFER_BINDING) == _framebuffer) gl.BindFramebuffer(GL.FRAMEBUFFER, 0);
        gl.DeleteFramebuffer(_framebuffer);
        gl.DeleteTexture(_texture);
        _framebuffer = 0;
        _texture = 0;
    }
}
