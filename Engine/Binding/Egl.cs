using System.Runtime.InteropServices;

namespace VisionPlugin.Engine.Binding;

/// <summary>
/// The few EGL 1.5 calls needed for a headless OpenGL 4.3 core context on Mesa's surfaceless
/// platform (no X, no surface). Loaded by full soname <c>libEGL.so.1</c> (Debian <c>libegl1</c>).
/// </summary>
internal static unsafe partial class Egl
{
    private const string Library = "libEGL.so.1";

    public const int PLATFORM_SURFACELESS_MESA = 0x31DD;
    public const int OPENGL_API = 0x30A2;
    public const int NONE = 0x3038;
    public const int CONTEXT_MAJOR_VERSION = 0x3098;
    public const int CONTEXT_MINOR_VERSION = 0x30FB;
    public const int CONTEXT_OPENGL_PROFILE_MASK = 0x30FD;
    public const int CONTEXT_OPENGL_CORE_PROFILE_BIT = 0x00000001;
    public const int SUCCESS = 0x3000;

    [LibraryImport(Library, EntryPoint = "eglGetProcAddress", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetProcAddress(string name);

    [LibraryImport(Library, EntryPoint = "eglInitialize")]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial uint Initialize(nint display, out int major, out int minor);

    [LibraryImport(Library, EntryPoint = "eglBindAPI")]
    public static partial uint BindAPI(int api);

    [LibraryImport(Library, EntryPoint = "eglCreateContext")]
    public static partial nint CreateContext(nint display, nint config, nint shareContext, int* attributes);

    [LibraryImport(Library, EntryPoint = "eglMakeCurrent")]
    public static partial uint MakeCurrent(nint display, nint draw, nint read, nint context);

    [LibraryImport(Library, EntryPoint = "eglDestroyContext")]
    public static partial uint DestroyContext(nint display, nint context);

    [LibraryImport(Library, EntryPoint = "eglTerminate")]
    public static partial uint Terminate(nint display);

    [LibraryImport(Library, EntryPoint = "eglGetError")]
    public static partial int GetError();

    [LibraryImport(Library, EntryPoint = "eglQueryString")]
    public static partial nint QueryString(nint display, int name);

    /// <summary>eglGetPlatformDisplayEXT, which is only reachable through eglGetProcAddress.</summary>
    public static nint GetPlatformDisplay(int platform)
    {
        nint proc = GetProcAddress("eglGetPlatformDisplayEXT");
        if (proc == 0) throw new GpuException("EGL has no eglGetPlatformDisplayEXT (EGL_EXT_platform_base); install libegl-mesa0.");
        var getPlatformDisplay = (delegate* unmanaged<int, nint, int*, nint>)proc;
        return getPlatformDisplay(platform, 0, null);
    }
}
