using System.Diagnostics;
using VisionPlugin.Host.Tests.Infrastructure;

namespace VisionPlugin.Host.Tests;

/// <summary>
/// A private X server (Xvfb, 1280x1024x24, no TCP, no reset when the last client leaves) on the first free display in :90..:140 for the window tests:
/// sets DISPLAY (in the C environment GLFW reads) while it lives and kills the server on dispose.
/// </summary>
public sealed class XvfbFixture : IDisposable
{
    private readonly Process _server;
    private readonly string? _previousDisplay = Environment.GetEnvironmentVariable("DISPLAY");

    public XvfbFixture()
    {
        for (int number = 90; number <= 140; number++)
        {
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}")) continue;
            Process server = Process.Start(new ProcessStartInfo("Xvfb", $":{number} -nolisten tcp -noreset -screen 0 1280x1024x24")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("Could not start Xvfb (apt-get install xvfb).");
            server.ErrorDataReceived += (_, _) => { };
            server.BeginErrorReadLine();
            server.BeginOutputReadLine();
            var clock = Stopwatch.StartNew();
            while (!server.HasExited && !File.Exists($"/tmp/.X11-unix/X{number}") && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
            if (server.HasExited) { server.Dispose(); continue; }   // lost a race for this display: try the next
            if (!File.Exists($"/tmp/.X11-unix/X{number}")) { server.Kill(); server.Dispose(); throw new TimeoutException($"Xvfb :{number} did not open its socket in 10 s."); }
            _server = server;
            Display = $":{number}";
            NativeEnvironment.Set("DISPLAY", Display);
            return;
        }
        throw new InvalidOperationException("No free X display in :90..:140 for Xvfb.");
    }

    /// <summary>The display name, e.g. ":90".</summary>
    public string Display { get; }

    /// <summary>Runs an X client (xdotool, ...) against this display; returns its standard output, throws on failure.</summary>
    public string RunClient(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DISPLAY"] = Display;
        using Process client = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        string output = client.StandardOutput.ReadToEnd();
        string error = client.StandardError.ReadToEnd();
        if (!client.WaitForExit(10_000)) { client.Kill(); throw new TimeoutException($"{program} {arguments} did not finish in 10 s."); }
        if (client.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed ({client.ExitCode}): {error}{output}");
        return output;
    }

    public void Dispose()
    {
        NativeEnvironment.Set("DISPLAY", _previousDisplay);
        if (!_server.HasExited) { _server.Kill(); _server.WaitForExit(5000); }
        _server.Dispose();
    }
}

/// <summary>Window tests share one Xvfb server.</summary>
[CollectionDefinition("Xvfb")]
public sealed class XvfbCollection : ICollectionFixture<XvfbFixture> { }
