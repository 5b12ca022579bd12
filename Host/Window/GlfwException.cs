namespace VisionPlugin.Host.Window;

/// <summary>
/// A GLFW error turned into an exception: the GLFW error code, GLFW's own message and what the app was doing.
/// A missing or unreachable X display gets a message that says so and how to run without one.
/// </summary>
public sealed class GlfwException : Exception
{
    // GLFW 3.3 error codes (glfw3.h).
    public const int PlatformError = 0x00010008;
    public const int ApiUnavailable = 0x00010006;
    public const int VersionUnavailable = 0x00010007;

    public GlfwException(string operation, int errorCode, string glfwMessage)
        : base(Describe(operation, errorCode, glfwMessage))
    {
        ErrorCode = errorCode;
        GlfwMessage = glfwMessage;
    }

    /// <summary>GLFW's error code (e.g. 0x10008 GLFW_PLATFORM_ERROR).</summary>
    public int ErrorCode { get; }

    /// <summary>GLFW's description, e.g. "X11: The DISPLAY environment variable is missing".</summary>
    public string GlfwMessage { get; }

    /// <summary>True when the failure is that there is no X display to open a window on.</summary>
    public bool IsNoDisplay => IsDisplayMessage(GlfwMessage);

    private static bool IsDisplayMessage(string message) =>
        message.Contains("DISPLAY", StringComparison.Ordinal) || message.Contains("Failed to open display", StringComparison.OrdinalIgnoreCase);

    private static string Describe(string operation, int errorCode, string glfwMessage)
    {
        string what = $"{operation} failed: GLFW error 0x{errorCode:X5}: {glfwMessage}";
        if (IsDisplayMessage(glfwMessage))
            return $"No display to open a window on ({what}). Run the headless mode (offscreen rendering, no window), " +
                   "or start the app under a virtual X server: xvfb-run -a ./visionplugin ...";
        if (errorCode is ApiUnavailable or VersionUnavailable)
            return $"{what}. The window needs an OpenGL 4.3 core context; check the driver (glxinfo -B).";
        return what;
    }
}
