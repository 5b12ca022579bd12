using System.Runtime.InteropServices;

namespace VisionPlugin.Host.Window;

/// <summary>
/// The few GLFW 3.3 calls the window app needs, bound to <c>libglfw.so.3</c> (Debian <c>libglfw3</c>) by full soname.
/// Names follow the C API without the <c>glfw</c> prefix. Callbacks are marshalled delegates: whoever installs one
/// must keep the delegate object alive for as long as GLFW may call it (the garbage collector does not see native
/// references). All calls belong on the thread that initialised GLFW.
/// </summary>
internal static class Glfw
{
    private const string Library = "libglfw.so.3";

    // Window hints and attributes (glfw3.h).
    public const int FOCUSED = 0x00020001;
    public const int RESIZABLE = 0x00020003;
    public const int VISIBLE = 0x00020004;
    public const int FOCUS_ON_SHOW = 0x0002000C;
    public const int CLIENT_API = 0x00022001;
    public const int CONTEXT_VERSION_MAJOR = 0x00022002;
    public const int CONTEXT_VERSION_MINOR = 0x00022003;
    public const int OPENGL_FORWARD_COMPAT = 0x00022006;
    public const int OPENGL_PROFILE = 0x00022008;
    public const int OPENGL_API = 0x00030001;
    public const int OPENGL_CORE_PROFILE = 0x00032001;
    public const int TRUE = 1;
    public const int FALSE = 0;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ErrorCallback(int errorCode, nint description);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void KeyCallback(nint window, int key, int scancode, int action, int modifiers);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void CharCallback(nint window, uint codepoint);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void FramebufferSizeCallback(nint window, int width, int height);

    [DllImport(Library, EntryPoint = "glfwInit")]
    public static extern int Init();

    [DllImport(Library, EntryPoint = "glfwTerminate")]
    public static extern void Terminate();

    [DllImport(Library, EntryPoint = "glfwGetVersionString")]
    private static extern nint GetVersionStringPointer();

    public static string VersionString => Marshal.PtrToStringUTF8(GetVersionStringPointer()) ?? "";

    [DllImport(Library, EntryPoint = "glfwSetErrorCallback")]
    public static extern nint SetErrorCallback(ErrorCallback? callback);

    [DllImport(Library, EntryPoint = "glfwDefaultWindowHints")]
    public static extern void DefaultWindowHints();

    [DllImport(Library, EntryPoint = "glfwWindowHint")]
    public static extern void WindowHint(int hint, int value);

    [DllImport(Library, EntryPoint = "glfwCreateWindow")]
    public static extern nint CreateWindow(int width, int height, [MarshalAs(UnmanagedType.LPUTF8Str)] string title, nint monitor, nint share);

    [DllImport(Library, EntryPoint = "glfwDestroyWindow")]
    public static extern void DestroyWindow(nint window);

    [DllImport(Library, EntryPoint = "glfwMakeContextCurrent")]
    public static extern void MakeContextCurrent(nint window);

    [DllImport(Library, EntryPoint = "glfwGetCurrentContext")]
    public static extern nint GetCurrentContext();

    [DllImport(Library, EntryPoint = "glfwGetProcAddress")]
    public static extern nint GetProcAddress([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library, EntryPoint = "glfwSwapInterval")]
    public static extern void SwapInterval(int interval);

    [DllImport(Library, EntryPoint = "glfwSwapBuffers")]
    public static extern void SwapBuffers(nint window);

    [DllImport(Library, EntryPoint = "glfwPollEvents")]
    public static extern void PollEvents();

    [DllImport(Library, EntryPoint = "glfwWindowShouldClose")]
    public static extern int WindowShouldClose(nint window);

    [DllImport(Library, EntryPoint = "glfwSetWindowShouldClose")]
    public static extern void SetWindowShouldClose(nint window, int value);

    [DllImport(Library, EntryPoint = "glfwSetWindowTitle")]
    public static extern void SetWindowTitle(nint window, [MarshalAs(UnmanagedType.LPUTF8Str)] string title);

    [DllImport(Library, EntryPoint = "glfwGetFramebufferSize")]
    public static extern void GetFramebufferSize(nint window, out int width, out int height);

    [DllImport(Library, EntryPoint = "glfwSetWindowSize")]
    public static extern void SetWindowSize(nint window, int width, int height);

    [DllImport(Library, EntryPoint = "glfwShowWindow")]
    public static extern void ShowWindow(nint window);

    [DllImport(Library, EntryPoint = "glfwFocusWindow")]
    public static extern void FocusWindow(nint window);

    [DllImport(Library, EntryPoint = "glfwSetKeyCallback")]
    public static extern nint SetKeyCallback(nint window, KeyCallback? callback);

    [DllImport(Library, EntryPoint = "glfwSetCharCallback")]
    public static extern nint SetCharCallback(nint window, CharCallback? callback);

    [DllImport(Library, EntryPoint = "glfwSetFramebufferSizeCallback")]
    public static extern nint SetFramebufferSizeCallback(nint window, FramebufferSizeCallback? callback);
}
