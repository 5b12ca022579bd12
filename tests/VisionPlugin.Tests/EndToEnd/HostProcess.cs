using System.Diagnostics;

namespace VisionPlugin.Tests.EndToEnd;

/// <summary>
/// Runs the command-line host (<c>VisionPlugin.Host.dll</c>, built alongside the tests through a
/// build-only project reference) as a separate process, as a user's <c>./visionplugin</c> would.
/// </summary>
public static class HostProcess
{
    /// <summary>The host assembly of the same configuration as this test assembly.</summary>
    public static string HostDll
    {
        get
        {
            // tests/VisionPlugin.Tests/bin/<Configuration>/net10.0/ -> Host/bin/<Configuration>/net10.0/
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = testDir.Name, configuration = testDir.Parent!.Name;
            DirectoryInfo root = testDir.Parent!.Parent!.Parent!.Parent!.Parent!;
            string dll = Path.Combine(root.FullName, "Host", "bin", configuration, framework, "VisionPlugin.Host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Host not built at {dll}.");
        }
    }

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(HostDll);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>Runs to completion (bounded by <paramref name="timeout"/>) and returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using Process process = Process.Start(StartInfo(workingDirectory, arguments))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"visionplugin {string.Join(' ', arguments)} did not finish in {timeout}.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
