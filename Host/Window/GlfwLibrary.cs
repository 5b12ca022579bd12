namespace VisionPlugin.Host.Window;

/// <summary>
/// Process-wide GLFW initialisation, shared by the windows alive: the first <see cref="Acquire"/> calls
/// <c>glfwInit</c>, the last <see cref="Release"/> calls <c>glfwTerminate</c> (once per initialisation).
/// The error callback records GLFW's message; <see cref="ThrowIfError"/> turns it into a <see cref="GlfwException"/>
/// on the calling thread (an exception must not unwind through GLFW's C frames).
/// </summary>
internal static class GlfwLibrary
{
    private static readonly object Gate = new();
    // Kept in a static field so the garbage collector never frees the delegate GLFW holds.
    private static readonly Glfw.ErrorCallback OnError = RecordError;
    private static int _users;
    private static (int Code, string Message)? _pendingError;

    /// <summary>Initialises GLFW if no window holds it yet.</summary>
    /// <exception cref="GlfwException">glfwInit failed (no display, no X libraries).</exception>
    public static void Acquire()
    {
        lock (Gate)
        {
            if (_users == 0)
            {
                _pendingError = null;
                Glfw.SetErrorCallback(OnError);
                if (Glfw.Init() == Glfw.FALSE)
                {
                    GlfwException error = TakeError("glfwInit") ?? new GlfwException("glfwInit", 0, "unknown error");
                    Glfw.SetErrorCallback(null);
                    throw error;
                }
            }
            _users++;
        }
    }

    /// <summary>Drops one hold; the last one terminates GLFW.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            if (_users == 0) return;
            if (--_users == 0)
            {
                Glfw.Terminate();
                _pendingError = null;
            }
        }
    }

    /// <summary>Throws the error GLFW reported since the last check, naming <paramref name="operation"/>.</summary>
    public static void ThrowIfError(string operation)
    {
        GlfwException? error = TakeError(operation);
        if (error is not null) throw error;
    }

    private static GlfwException? TakeError(string operation)
    {
        lock (Gate)
        {
            if (_pendingError is not { } pending) return null;
            _pendingError = null;
            return new GlfwException(operation, pending.Code, pending.Message);
        }
    }

    private static void RecordError(int code, nint description)
    {
        string message = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(description) ?? "";
        lock (Gate) _pendingError ??= (code, message);
    }
}
