using System.Text.Json;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// Time from process start to the first classification: <c>visionplugin classify --json</c> (this host assembly under
/// <c>dotnet</c>) as a child process on the test picture with the benchmark MobileNetV2 (<see cref="BenchNetworkFiles"/>,
/// ONNX), cold (empty caches: <c>$VISIONPLUGIN_PROGRAM_CACHE</c>, our program binaries, and <c>$MESA_SHADER_CACHE_DIR</c>,
/// Mesa's own compiled-shader cache, both set to fresh folders, so every shader compiles as on a first start) and warm
/// (the same folders again: binaries load from disk). Wall time from launch to exit, and in-process
/// time from the child's start to its first prediction (its JSON's <c>seconds_since_process_start</c>); medians.
/// Verification: the child's top-1 class equals ours in this process. Peer: ONNX Runtime (node) from process start to
/// its first inference on the same ONNX file.
/// </summary>
internal sealed class StartupSection : IBenchSection
{
    public string Name => "startup";
    public string Title => "Process start to first classification (MobileNetV2 ONNX, one image)";

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(5);

    public SectionResult Run(BenchRun run)
    {
        BenchNetworkFiles network = run.NetworkFiles;
        int expectedTop = ExpectedTopClass(run.Context, network);
        // Cold: empty caches. Second: our program binaries are on disk, but llvmpipe compiles programs loaded from a
        // binary under another key of Mesa's own cache than programs compiled from source, so the second start still
        // compiles once (measured: 4.6 s, 1.4 s, then 0.32 s). Warm: the third start, every cache filled.
        var cold = new List<(double Wall, double InProcess)>();
        var second = new List<(double Wall, double InProcess)>();
        var warm = new List<(double Wall, double InProcess)>();
        for (int i = 0; i < run.Settings.StartupRuns; i++)
        {
            string cache = Path.Combine(run.WorkDirectory, $"program-cache-{i}");
            Directory.CreateDirectory(cache);
            foreach (var list in new[] { cold, second, warm })
            {
                var (wall, inProcess, top, error) = Classify(network, cache);
                if (error is not null) return Failed(error);
                if (top != expectedTop) return Failed($"the child's top-1 class is {top}; this process computes {expectedTop}");
                list.Add((wall, inProcess));
            }
        }

        var ortWall = new List<double>();
        var ortInProcess = new List<double>();
        string? ortMissing = null;
        for (int i = 0; i < run.Settings.StartupRuns && ortMissing is null; i++)
        {
            PeerRun ort = run.Peers.Ort("--model", network.OnnxPath, "--image", $"{network.ImagePath}:3,224,224", "--repeats", "0");
            if (!ort.Ok) ortMissing = ort.Unavailable;
            else
            {
                ortWall.Add(ort.WallMilliseconds);
                ortInProcess.Add(ort.Result!["process_to_first_inference_ms"]!.GetValue<double>());
            }
        }
        PeerFigure Ort(List<double> values) => ortMissing is null ? PeerFigure.Of(PeerRunner.OnnxRuntime, Median(values)) : PeerFigure.Missing(PeerRunner.OnnxRuntime, ortMissing);
        string runs = $"median of {run.Settings.StartupRuns}";
        BenchFigure[] figures =
        [
            new("cold, wall (launch to exit)", "ms", false, Median(cold.Select(c => c.Wall)), [Ort(ortWall)], $"{runs}; empty program and Mesa shader caches"),
            new("cold, in process (start to first prediction)", "ms", false, Median(cold.Select(c => c.InProcess)), [Ort(ortInProcess)], runs),
            new("second start, in process", "ms", false, Median(second.Select(c => c.InProcess)), [Ort(ortInProcess)], $"{runs}; program binaries cached, Mesa recompiles once"),
            new("warm, wall (launch to exit)", "ms", false, Median(warm.Select(c => c.Wall)), [Ort(ortWall)], $"{runs}; third start, caches filled"),
            new("warm, in process (start to first prediction)", "ms", false, Median(warm.Select(c => c.InProcess)), [Ort(ortInProcess)], runs),
        ];
        var details = new JsonObject
        {
            ["child"] = "dotnet VisionPlugin.Host.dll classify --model <bench onnx> --image <test png> --json",
            ["cold_ms"] = Samples(cold), ["second_ms"] = Samples(second), ["warm_ms"] = Samples(warm),
            ["onnxruntime_wall_ms"] = new JsonArray([.. ortWall.Select(v => (JsonNode)v)]),
            ["onnxruntime_in_process_ms"] = new JsonArray([.. ortInProcess.Select(v => (JsonNode)v)]),
            ["verification"] = new JsonObject { ["check"] = "child's top-1 class equals this process's", ["passed"] = true, ["top1"] = expectedTop },
        };
        return new SectionResult(Name, Title, figures, details);

        SectionResult Failed(string why) => new(Name, Title, [], new JsonObject { ["verification"] = new JsonObject { ["passed"] = false } }, why);
    }

    /// <summary>One cold or warm child: wall ms, in-process ms, its top-1 class index, or an error.</summary>
    private static (double Wall, double InProcess, int Top, string? Error) Classify(BenchNetworkFiles network, string programCache)
    {
        string hostDll = typeof(StartupSection).Assembly.Location;
        ChildOutcome child = ChildProcess.Run("dotnet", [hostDll, "classify", "--model", network.OnnxPath, "--image", network.PngPath, "--top", "1", "--json"],
            ChildTimeout, new Dictionary<string, string>
            {
                ["VISIONPLUGIN_PROGRAM_CACHE"] = Path.Combine(programCache, "programs"),
                ["MESA_SHADER_CACHE_DIR"] = Path.Combine(programCache, "mesa"),
            });
        if (child.ExitCode != 0) return (0, 0, -1, $"classify child failed (exit {child.ExitCode}): {child.LastStderrLine}");
        try
        {
            JsonNode result = JsonNode.Parse(child.LastStdoutLine)!;
            double seconds = result["seconds_since_process_start"]?.GetValue<double>()
                             ?? throw new InvalidDataException("no seconds_since_process_start in its JSON");
            return (child.WallMilliseconds, seconds * 1e3, result["top"]![0]!["index"]!.GetValue<int>(), null);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NullReferenceException or InvalidOperationException)
        {
            return (0, 0, -1, $"classify child printed an unexpected result ({e.Message}): {child.LastStdoutLine}");
        }
    }

    private static int ExpectedTopClass(GpuContext context, BenchNetworkFiles network)
    {
        using Tensor input = Tensor.FromData(context, new TensorShape(1, 3, BenchNetworkFiles.Side, BenchNetworkFiles.Side), network.Image);
        float[] logits = network.Model.Forward(input, training: false).ToArray();
        return Array.IndexOf(logits, logits.Max());
    }

    private static JsonArray Samples(List<(double Wall, double InProcess)> runs) =>
        new([.. runs.Select(r => (JsonNode)new JsonObject { ["wall"] = r.Wall, ["in_process"] = r.InProcess })]);

    private static double Median(IEnumerable<double> values) => TimingStats.FromSamples(values.ToList()).MedianMs;
}
