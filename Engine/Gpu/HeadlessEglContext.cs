using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Engine;

/// <summary>
/// An EGL display + OpenGL 4.3 core context with no surface on Mesa's surfaceless platform,
/// current on the thread that created it. Works with no X server and no GPU (llvmpipe).
/// </summary>
internal sealed unsafe class HeadlessEglContext : IDisposable
{
    private nint _display;
    private nint _context;

    private HeadlessEglContext(nint display, nint context)
    {
        _display = display;
        _context = context;
    }

    public static HeadlessEglContext Create()
    {
        nint display;
        try
        {
            display = Egl.GetPlatformDisplay(Egl.PLATFORM_SURFACELESS_MESA);
        }
        catch (DllNotFoundException e)
        {
            throw new GpuException("libEGL.so.1 is not installed (Debian: libegl1 libegl-mesa0 libgl1-mesa-dri).", e);
        }
        if (display == 0) throw new GpuException($"eglGetPlatformDisplayEXT(SURFACELESS_MESA) failed: EGL error 0x{Egl.GetError():X4}.");
        if (Egl.Initialize(display, out _, out _) == 0)
            throw new GpuException($"eglInitialize failed: EGL error 0x{Egl.GetError():X4}.");
        if (Egl.BindAPI(Egl.OPENGL_API) == 0)
        {
            Egl.Terminate(display);
            throw new GpuException($"eglBindAPI(EGL_OPENGL_API) failed: EGL error 0x{Egl.GetError():X4}.");
        }
        int* attributes = stackalloc int[]
        {
            Egl.CONTEXT_MAJOR_VERSION, 4,
            Egl.CONTEXT_MINOR_VERSION, 3,
            Egl.CONTEXT_OPENGL_PROFILE_MASK, Egl.CONTEXT_OPENGL_CORE_PROFILE_BIT,
            Egl.NONE,
        };
        // No config: EGL_KHR_no_config_context.
        nint context = Egl.CreateContext(display, 0, 0, attributes);
        if (context == 0)
        {
            int error = Egl.GetError();
            Egl.Terminate(display);
            throw new GpuException($"eglCreateContext (OpenGL 4.3 core, no config) failed: EGL error 0x{error:X4}. The driver may not support OpenGL 4.3.");
        }
        if (Egl.MakeCurrent(display, 0, 0, context) == 0)
        {
            int error = Egl.GetError();
            Egl.DestroyContext(display, context);
            Egl.Terminate(display);
            throw new GpuException($"eglMakeCurrent with no surface failed: EGL error 0x{error:X4}.");
        }
        return new HeadlessEglContext(display, context);
    }

    public void Dispose()
    {
        if (_context == 0) return;
        Egl.MakeCurrent(_display, 0, 0, 0);
        Egl.DestroyContext(_display, _context);
        // The display is shared per process by Mesa; terminating it would break other contexts.
        _context = 0;
        _display = 0;
    }
}
