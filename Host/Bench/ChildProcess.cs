using System.Diagnostics;

namespace VisionPlugin.Host.Bench;

/// <summary>The outcome of a child process: exit code (-1: could not start, or killed at the timeout), output, wall time.</summary>
internal sealed record ChildOutcome(int ExitCode, string Stdout, string Stderr, double WallMilliseconds)
{
    /// <summary>The last non-empty line of stdout (where a --json result is).</summary>
    public string LastStdoutLine => LastLine(Stdout);
    public string LastStderrLine => LastLine(Stderr);

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}

/// <summary>Runs peers and our own host as child processes, bounded by a timeout, timing them from launch to exit.</summary>
internal static class ChildProcess
{
    /// <param name="environment">Variables to set in the child (on top of this process's environment).</param>
    public static ChildOutcome Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        long start = Stopwatch.GetTimestamp();
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new ChildOutcome(-1, stdout.Result, $"timed out after {timeout.TotalSeconds:F0} s", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            process.WaitForExit(); // drains the redirected streams
            return new ChildOutcome(process.ExitCode, stdout.Result, stderr.Result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ChildOutcome(-1, "", $"{program}: {e.Message}", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
