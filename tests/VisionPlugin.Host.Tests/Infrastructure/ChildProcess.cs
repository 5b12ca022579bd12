using System.Diagnostics;

namespace VisionPlugin.Host.Tests;

/// <summary>Runs a .NET program (the host, a demo) as a separate process, as a user would, and collects its output.</summary>
public static class ChildProcess
{
    /// <summary>Runs <c>dotnet <paramref name="dll"/> args</c>; <paramref name="environment"/> values of null remove a variable.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunDotnetAsync(string dll, IEnumerable<string> arguments,
        TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name); else info.Environment[name] = value;
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {Path.GetFileName(dll)} {string.Join(' ', arguments)} did not finish in {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
