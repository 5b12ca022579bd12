using System.Text.Json.Nodes;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// Conv forward, backward-input and backward-weight GFLOP/s (<see cref="ConvBenchmark"/>, each pass spot-checked
/// against direct CPU sums first) on MobileNetV2 and ResNet-18 layer shapes, with the share of the renderer's FMA
/// peak (<see cref="FmaPeak"/>, measured in the same run). Peer: PyTorch <c>conv2d</c> (and autograd for the two
/// gradients) on the same shapes, same padding.
/// </summary>
internal sealed class ConvSection : IBenchSection
{
    public string Name => "conv";
    public string Title => "Conv kernels, batch 1 (GFLOP/s; 1 multiply-add = 2 flops)";

    public SectionResult Run(BenchRun run)
    {
        string? filter = run.Settings.ConvFilter;
        List<ConvShape> shapes = ConvShape.Standard.Where(s => filter is null
            || s.Network.Contains(filter, StringComparison.OrdinalIgnoreCase) || s.Layer.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (shapes.Count == 0) throw new ArgumentException($"--filter '{filter}' matches no benchmark layer.");

        double peak = FmaPeak.Measure(run.Context);
        List<ConvResult> ours = shapes.Select(shape => ConvBenchmark.Run(run.Context, shape, run.Settings.ConvRepeats)).ToList();
        var details = new JsonObject { ["fma_peak_gflops"] = peak, ["repeats"] = run.Settings.ConvRepeats };
        List<string> wrong = ours.Where(r => !r.Verified).Select(r => r.Shape.Layer).ToList();
        details["verification"] = new JsonObject { ["check"] = "24 random outputs per pass vs direct CPU sums", ["passed"] = wrong.Count == 0 };
        if (wrong.Count > 0) return new SectionResult(Name, Title, [], details, $"wrong results in the spot check: {string.Join(", ", wrong)}");

        string shapesFile = Path.Combine(run.WorkDirectory, "conv_shapes.json");
        File.WriteAllText(shapesFile, new JsonArray([.. shapes.Select(ShapeJson)]).ToJsonString());
        PeerRun torch = run.Peers.Torch("torch_bench.py", "conv", "--shapes", shapesFile, "--warmup", "1", "--repeats", run.Settings.ConvRepeats.ToString());

        var figures = new List<BenchFigure> { new("FMA peak (fma_peak.comp)", "GFLOP/s", true, peak, []) };
        var layers = new JsonArray();
        for (int i = 0; i < ours.Count; i++)
        {
            ConvResult r = ours[i];
            JsonNode? peer = torch.Result?["layers"]?[i];
            PeerFigure Torch(string key) => peer?[key] is JsonNode ms
                ? PeerFigure.Of(PeerRunner.PyTorch, 2.0 * r.Shape.MultiplyAdds / (ms.GetValue<double>() / 1e3) / 1e9)
                : PeerFigure.Missing(PeerRunner.PyTorch, torch.Unavailable ?? "no figure");
            string name = $"{r.Shape.Network} {r.Shape.Layer}";
            figures.Add(new BenchFigure($"{name} fwd", "GFLOP/s", true, r.ForwardGflops, [Torch("forward_ms")], $"{100 * r.ForwardGflops / peak:F1} % of peak"));
            figures.Add(new BenchFigure($"{name} bwd-in", "GFLOP/s", true, r.BackwardInputGflops, [Torch("backward_input_ms")], $"{100 * r.BackwardInputGflops / peak:F1} % of peak"));
            figures.Add(new BenchFigure($"{name} bwd-w", "GFLOP/s", true, r.BackwardWeightGflops, [Torch("backward_weight_ms")], $"{100 * r.BackwardWeightGflops / peak:F1} % of peak"));
            layers.Add(new JsonObject
            {
                ["network"] = r.Shape.Network, ["layer"] = r.Shape.Layer, ["input"] = r.Shape.Input.ToString(), ["weight"] = r.Shape.Weight.ToString(),
                ["mflop"] = Math.Round(2.0 * r.Shape.MultiplyAdds / 1e6, 1),
                ["forward_ms"] = r.ForwardSeconds * 1e3, ["backward_input_ms"] = r.BackwardInputSeconds * 1e3, ["backward_weight_ms"] = r.BackwardWeightSeconds * 1e3,
                ["pytorch"] = peer?.DeepClone(),
            });
        }
        details["layers"] = layers;
        return new SectionResult(Name, Title, figures, details);
    }

    /// <summary>The layer as torch_bench.py's conv section reads it.</summary>
    private static JsonObject ShapeJson(ConvShape s) => new()
    {
        ["input"] = Dims(s.Input.Dimensions.ToArray()), ["weight"] = Dims(s.Weight.Dimensions.ToArray()),
        ["stride"] = Dims([s.Options.StrideH, s.Options.StrideW]), ["dilation"] = Dims([s.Options.DilationH, s.Options.DilationW]),
        ["padding"] = Dims([s.Options.Padding.Top, s.Options.Padding.Left, s.Options.Padding.Bottom, s.Options.Padding.Right]),
        ["groups"] = s.Options.Groups,
    };

    private static JsonArray Dims(int[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
