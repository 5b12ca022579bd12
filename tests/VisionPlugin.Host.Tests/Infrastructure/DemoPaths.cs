namespace VisionPlugin.Host.Tests;

/// <summary>Where the demos and the host are built next to this test assembly's configuration.</summary>
public static class DemoPaths
{
    /// <summary>Demos/&lt;name&gt;/bin/&lt;configuration&gt;/net10.0/VisionPlugin.Demos.&lt;name&gt;.dll.</summary>
    public static string Demo(string name)
    {
        // tests/VisionPlugin.Host.Tests/bin/<configuration>/net10.0 -> Demos/<name>/bin/<configuration>/net10.0
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string root = testDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(root, "Demos", name, "bin", testDir.Parent!.Name, testDir.Name, $"VisionPlugin.Demos.{name}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Demo {name} not built at {dll}.");
    }

    /// <summary>The host (command line) assembly, copied next to the tests by the project reference.</summary>
    public static string Host => Path.Combine(AppContext.BaseDirectory, "VisionPlugin.Host.dll");
}
