using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// MobileNetV2-224 inference (<see cref="BenchNetworkFiles"/>), batch 1 and 8. Before anything is timed our batch-1
/// logits on the test picture are compared with ONNX Runtime's on the exported ONNX of the same network (max |diff|
/// must stay below 1e-3 · max(1, max |logit|)), and every row of our batch 8 with our batch 1. Peers: ONNX Runtime on
/// that ONNX file; PyTorch on the same architecture written out in torch_bench.py (random weights, timing only).
/// </summary>
internal sealed class MobileNetSection : IBenchSection
{
    public static readonly int[] Batches = [1, 8];

    public string Name => "mobilenet";
    public string Title => "MobileNetV2-224 forward (1000 classes)";

    public SectionResult Run(BenchRun run)
    {
        GpuContext context = run.Context;
        BenchNetworkFiles network = run.NetworkFiles;
        BenchSettings s = run.Settings;
        var details = new JsonObject { ["network"] = network.Source };

        // What a Classifier runs: the inference view (BatchNorm folded into the convs, pads, bias, residual adds and
        // activations fused into their epilogues). Batch 1 on the test picture: logits for the verification, and the
        // dispatches of one forward (also of the unoptimized graph, for comparison).
        using Model inference = InferenceGraphOptimizer.Optimize(network.Model);
        Forward(network.Model, network, 1, out long unoptimizedDispatches);
        float[] ours1 = Forward(inference, network, 1, out _);
        Forward(inference, network, 1, out long dispatches); // a second forward: no first-use work in the count
        float[] ours8 = Forward(inference, network, 8, out _);
        details["dispatches_per_forward_batch1_unoptimized"] = unoptimizedDispatches;
        double batchSpread = 0;
        for (int i = 0; i < ours8.Length; i++) batchSpread = Math.Max(batchSpread, Math.Abs(ours8[i] - ours1[i % ours1.Length]));
        details["dispatches_per_forward_batch1"] = dispatches;
        details["batch8_vs_batch1_max_abs_diff"] = batchSpread;

        string referenceFile = Path.Combine(run.WorkDirectory, "ort_logits.f32");
        PeerRun ort = run.Peers.Ort("--model", network.OnnxPath, "--image", $"{network.ImagePath}:3,224,224",
            "--batches", string.Join(',', Batches), "--warmup", s.Warmup.ToString(), "--repeats", s.Repeats.ToString(), "--out", referenceFile);
        string? failure = null;
        if (ort.Ok)
        {
            float[] reference = ReadFloats(referenceFile);
            double maxDiff = reference.Length == ours1.Length ? reference.Zip(ours1, (r, o) => (double)Math.Abs(r - o)).Max() : double.PositiveInfinity;
            double tolerance = 1e-3 * Math.Max(1, reference.Max(v => Math.Abs(v)));
            details["verification"] = new JsonObject
            {
                ["against"] = "onnxruntime on the exported ONNX, same input", ["max_abs_diff"] = maxDiff, ["tolerance"] = tolerance,
                ["max_abs_logit"] = reference.Max(v => Math.Abs(v)), ["top1_ours"] = ArgMax(ours1), ["top1_onnxruntime"] = ArgMax(reference),
                ["passed"] = maxDiff <= tolerance,
            };
            if (!(maxDiff <= tolerance)) failure = $"our logits differ from ONNX Runtime's by {maxDiff:G3} (tolerance {tolerance:G3})";
        }
        else details["verification"] = new JsonObject { ["passed"] = null, ["skipped"] = $"onnxruntime n/a ({ort.Unavailable})" };
        if (!(batchSpread <= 1e-3 * Math.Max(1, ours1.Max(v => Math.Abs(v)))))
            failure ??= $"batch 8 of the same picture differs from batch 1 by {batchSpread:G3}";
        if (failure is not null) return new SectionResult(Name, Title, [], details, failure);

        PeerRun torch = run.Peers.Torch("torch_bench.py", "mobilenet", "--batches", string.Join(',', Batches),
            "--warmup", s.Warmup.ToString(), "--repeats", s.Repeats.ToString());
        var figures = new List<BenchFigure>();
        var timings = new JsonObject();
        foreach (int batch in Batches)
        {
            using var input = new Tensor(context, new TensorShape(batch, 3, BenchNetworkFiles.Side, BenchNetworkFiles.Side));
            input.Upload(Repeat(network.Image, batch));
            TimingStats ours = TimingStats.Measure(() => { inference.Forward(input, training: false); context.Finish(); }, s.Warmup, s.Repeats);
            timings[batch.ToString()] = ours.ToJson();
            figures.Add(new BenchFigure($"forward batch {batch}", "ms", HigherIsBetter: false, ours.MedianMs,
                [PeerBatch(ort, PeerRunner.OnnxRuntime, batch), PeerBatch(torch, PeerRunner.PyTorch, batch)],
                (ort.Ok ? "" : "UNVERIFIED (no ONNX Runtime reference); ") + (batch == 1 ? $"{ours.Spread}; {dispatches} dispatches" : ours.Spread)));
            figures.Add(new BenchFigure($"images/s batch {batch}", "images/s", HigherIsBetter: true, batch * 1e3 / ours.MedianMs,
                [Rate(PeerBatch(ort, PeerRunner.OnnxRuntime, batch), batch), Rate(PeerBatch(torch, PeerRunner.PyTorch, batch), batch)]));
        }
        details["ours"] = timings;
        details["onnxruntime"] = ort.Result?["batches"]?.DeepClone();
        details["pytorch"] = torch.Result?["batches"]?.DeepClone();
        return new SectionResult(Name, Title, figures, details);
    }

    private static float[] Forward(Model model, BenchNetworkFiles network, int batch, out long dispatches)
    {
        GpuContext context = model.Context;
        using var input = new Tensor(context, new TensorShape(batch, 3, BenchNetworkFiles.Side, BenchNetworkFiles.Side));
        input.Upload(Repeat(network.Image, batch));
        long before = context.DispatchCount;
        float[] logits = model.Forward(input, training: false).ToArray();
        dispatches = context.DispatchCount - before;
        return logits;
    }

    private static PeerFigure PeerBatch(PeerRun peer, string name, int batch) =>
        peer.Result?["batches"]?[batch.ToString()] is JsonNode stats
            ? PeerFigure.Of(name, TimingStats.FromJson(stats).MedianMs)
            : PeerFigure.Missing(name, peer.Unavailable ?? $"no batch {batch} figure");

    private static PeerFigure Rate(PeerFigure milliseconds, int batch) =>
        milliseconds.Value is double ms ? PeerFigure.Of(milliseconds.Peer, batch * 1e3 / ms) : milliseconds;

    private static float[] Repeat(float[] image, int count)
    {
        var values = new float[image.Length * count];
        for (int b = 0; b < count; b++) image.CopyTo(values, b * image.Length);
        return values;
    }

    private static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
