using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionPlugin.Host.Bench;

/// <summary>A peer script's result: its last stdout line as JSON and the process's wall time, or why it did not run.</summary>
internal sealed record PeerRun(JsonObject? Result, double WallMilliseconds, string? Unavailable)
{
    public bool Ok => Result is not null;
}

/// <summary>
/// Runs the reference peers in <c>scripts/peers</c> as child processes: PyTorch CPU (Debian <c>python3-torch</c>
/// under <c>/usr/bin/python3</c>) and ONNX Runtime (npm <c>onnxruntime-node</c> under node). A missing peer is not an
/// error: every call then answers with the reason (<see cref="PeerRun.Unavailable"/>), and our figures still run.
/// </summary>
internal sealed class PeerRunner(string? peersDirectory, int threads, TimeSpan timeout)
{
    public const string PyTorch = "pytorch";
    public const string OnnxRuntime = "onnxruntime";
    private const string Python = "/usr/bin/python3";

    private string? _torchUnavailable, _ortUnavailable;
    private bool _torchChecked, _ortChecked;

    /// <summary>Threads each peer is given (torch.set_num_threads, intraOpNumThreads).</summary>
    public int Threads { get; } = threads;

    /// <summary>The scripts folder, or null when none was found.</summary>
    public string? Directory { get; } = peersDirectory;

    /// <summary>Null when PyTorch can run, else why not.</summary>
    public string? TorchUnavailable
    {
        get
        {
            if (_torchChecked) return _torchUnavailable;
            _torchChecked = true;
            _torchUnavailable = Directory is null ? "scripts/peers not found (pass --peers DIR)"
                : !File.Exists(Path.Combine(Directory, "torch_bench.py")) ? $"torch_bench.py is not in {Directory}"
                : !File.Exists(Python) ? $"{Python} is missing"
                : ChildProcess.Run(Python, ["-c", "import torch"], timeout) is { ExitCode: not 0 } failed ? $"python3-torch missing ({failed.LastStderrLine})"
                : null;
            return _torchUnavailable;
        }
    }

    /// <summary>Null when ONNX Runtime can run, else why not.</summary>
    public string? OrtUnavailable
    {
        get
        {
            if (_ortChecked) return _ortUnavailable;
            _ortChecked = true;
            _ortUnavailable = Directory is null ? "scripts/peers not found (pass --peers DIR)"
                : !File.Exists(Path.Combine(Directory, "node_modules", "onnxruntime-node", "package.json"))
                    ? "onnxruntime-node not installed (run scripts/peers/install.sh)"
                : !Succeeds("node", "--version") ? "node is not on PATH"
                : null;
            return _ortUnavailable;
        }
    }

    /// <summary>Runs <c>torch_bench.py</c> (or another python script in the peers folder) with <paramref name="arguments"/>.</summary>
    public PeerRun Torch(string script, params string[] arguments) =>
        TorchUnavailable is string reason ? new PeerRun(null, 0, reason)
            : Run(Python, [Path.Combine(Directory!, script), .. arguments, "--threads", Threads.ToString()]);

    /// <summary>Runs <c>ort_bench.mjs</c> with <paramref name="arguments"/>.</summary>
    public PeerRun Ort(params string[] arguments) =>
        OrtUnavailable is string reason ? new PeerRun(null, 0, reason)
            : Run("node", [Path.Combine(Directory!, "ort_bench.mjs"), .. arguments, "--threads", Threads.ToString()]);

    private PeerRun Run(string program, IReadOnlyList<string> arguments)
    {
        ChildOutcome outcome = ChildProcess.Run(program, arguments, timeout);
        string name = Path.GetFileName(arguments[0]);
        if (outcome.ExitCode != 0) return new PeerRun(null, outcome.WallMilliseconds, $"{name} failed (exit {outcome.ExitCode}): {outcome.LastStderrLine}");
        try
        {
            return JsonNode.Parse(outcome.LastStdoutLine) is JsonObject result
                ? new PeerRun(result, outcome.WallMilliseconds, null)
                : new PeerRun(null, outcome.WallMilliseconds, $"{name} printed no JSON object");
        }
        catch (JsonException e)
        {
            return new PeerRun(null, outcome.WallMilliseconds, $"{name} printed bad JSON: {e.Message}");
        }
    }

    private bool Succeeds(string program, params string[] arguments) => ChildProcess.Run(program, arguments, timeout).ExitCode == 0;

    /// <summary>
    /// The <c>scripts/peers</c> folder: <paramref name="explicitDirectory"/>, else the first ancestor of the host assembly
    /// or of the working directory that holds <c>scripts/peers/torch_bench.py</c>; null when none does.
    /// </summary>
    public static string? FindDirectory(string? explicitDirectory)
    {
        if (explicitDirectory is not null)
            return System.IO.Directory.Exists(explicitDirectory) ? Path.GetFullPath(explicitDirectory)
                : throw new ArgumentException($"--peers {explicitDirectory}: no such folder.");
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "scripts", "peers");
                if (File.Exists(Path.Combine(candidate, "torch_bench.py"))) return candidate;
            }
        return null;
    }
}
