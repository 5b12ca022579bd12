using System.Runtime.InteropServices;

namespace VisionPlugin.Host.Tests.Infrastructure;

/// <summary>
/// Sets environment variables in the C library's environment as well as .NET's: on Linux
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes .NET's copy, and GLFW reads
/// <c>DISPLAY</c> with <c>getenv</c>.
/// </summary>
internal static class NativeEnvironment
{
    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6", EntryPoint = "unsetenv")]
    private static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>Sets (or with null removes) <paramref name="name"/> in both environments.</summary>
    public static void Set(string name, string? value)
    {
        int result = value is null ? UnsetEnv(name) : SetEnv(name, value, 1);
        if (result != 0) throw new InvalidOperationException($"Could not set {name} in the process environment (errno {Marshal.GetLastPInvokeError()}).");
        Environment.SetEnvironmentVariable(name, value);
    }
}
