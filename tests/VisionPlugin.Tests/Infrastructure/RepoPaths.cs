namespace VisionPlugin.Tests;

/// <summary>Folders of the source tree, found by walking up from the test assembly to <c>VisionPlugin.sln</c>.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding VisionPlugin.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A fixture folder under tests/VisionPlugin.Tests/Fixtures.</summary>
    public static string Fixture(string name) => Path.Combine(Root, "tests", "VisionPlugin.Tests", "Fixtures", name);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VisionPlugin.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No VisionPlugin.sln above {AppContext.BaseDirectory}.");
    }
}
