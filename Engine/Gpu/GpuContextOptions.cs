namespace VisionPlugin.Engine;

/// <summary>Settings for a <see cref="GpuContext"/>. Immutable.</summary>
public sealed record GpuContextOptions
{
    /// <summary>
    /// Where linked program binaries are kept between processes (glGetProgramBinary), or null for
    /// no disk cache. The default is <c>$VISIONPLUGIN_PROGRAM_CACHE</c> when set (empty disables),
    /// else <c>$XDG_CACHE_HOME/visionplugin/programs</c> or <c>~/.cache/visionplugin/programs</c>.
    /// </summary>
    public string? ProgramBinaryCacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>Options with the default cache directory.</summary>
    public static GpuContextOptions Default { get; } = new();

    private static string? DefaultCacheDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("VISIONPLUGIN_PROGRAM_CACHE");
        if (fromEnvironment is not null) return fromEnvironment.Length == 0 ? null : fromEnvironment;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "visionplugin", "programs");
    }
}
