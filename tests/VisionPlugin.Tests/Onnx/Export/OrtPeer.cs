using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// ONNX Runtime (npm onnxruntime-node) as a child process: <c>node scripts/peers/ort_run.mjs</c> runs an exported
/// file on raw float32 inputs and writes raw float32 outputs. The package is installed on first use by
/// <c>scripts/peers/install.sh</c> (idempotent, silent when present). Without node or npm the calling test fails
/// with a message saying so: the comparison is the point of those tests, so they never skip.
/// </summary>
internal static class OrtPeer
{
    private static readonly Lock InstallLock = new();
    private static bool _installed;

    /// <summary>One output of a run: its graph name, dims and values.</summary>
    public sealed record Output(string Name, int[] Dims, float[] Values);

    /// <summary>The repository root (the folder holding scripts/peers/ort_run.mjs), found upwards from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Script => Path.Combine(RepositoryRoot, "scripts", "peers", "ort_run.mjs");

    /// <summary>Runs <paramref name="modelPath"/> on the given inputs (fed in order); returns every graph output.</summary>
    public static IReadOnlyList<Output> Run(string modelPath, IReadOnlyList<(float[] Values, int[] Dims)> inputs, string workFolder)
    {
        EnsureInstalled();
        var arguments = new List<string> { Script, "--model", modelPath, "--out-dir", Path.Combine(workFolder, "ort-out"), "--threads", "2" };
        for (int i = 0; i < inputs.Count; i++)
        {
            string file = Path.Combine(workFolder, $"input_{i}.f32");
            WriteFloat32(file, inputs[i].Values);
            arguments.Add("--input");
            arguments.Add($"{file}:{string.Join(",", inputs[i].Dims)}");
        }
        var (exitCode, stdout, stderr) = Execute("node", arguments, TimeSpan.FromMinutes(3));
        if (exitCode != 0) Assert.Fail($"ort_run.mjs failed (exit {exitCode}) on {modelPath}:\n{stderr}");
        string json = stdout.TrimEnd().Split('\n')[^1];
        using JsonDocument result = JsonDocument.Parse(json);
        return result.RootElement.GetProperty("outputs").EnumerateArray().Select(o => new Output(
            o.GetProperty("name").GetString()!,
            o.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            ReadFloat32(o.GetProperty("file").GetString()!))).ToArray();
    }

    /// <summary>Installs onnxruntime-node once per test run (scripts/peers/install.sh); fails the test clearly when it cannot.</summary>
    public static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (_installed) return;
            string install = Path.Combine(RepositoryRoot, "scripts", "peers", "install.sh");
            var (exitCode, _, stderr) = Execute("bash", [install], TimeSpan.FromMinutes(10));
            if (exitCode != 0)
                Assert.Fail($"The ONNX Runtime peer could not be installed ({install} exit {exitCode}); these tests need node and npm " +
                            $"(Debian: apt-get install nodejs npm) and the npm registry:\n{stderr}");
            _installed = true;
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{program}' is not available ({e.Message}); the ONNX Runtime comparison needs node and npm on PATH " +
                        "(Debian: apt-get install nodejs npm).");
            throw;
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in {timeout}.");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static void WriteFloat32(string path, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);   // little-endian hosts (x86-64, arm64)
        File.WriteAllBytes(path, bytes);
    }

    private static float[] ReadFloat32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "scripts", "peers", "ort_run.mjs"))) return folder.FullName;
        throw new DirectoryNotFoundException($"No scripts/peers/ort_run.mjs above {AppContext.BaseDirectory}.");
    }
}
