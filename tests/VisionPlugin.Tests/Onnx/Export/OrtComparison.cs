using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx.Export;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// Exports a model, runs the file in ONNX Runtime and compares every output with the engine's own GPU forward
/// (inference mode) on the same input. Tolerance: max |ort - engine| &lt;= 1e-4 * max(1, max |engine|), i.e.
/// absolute 1e-4 for outputs of magnitude up to 1 and relative to the largest value beyond (deep random-init nets
/// produce logits of tens). Before exporting, the weights are made non-trivial: batch-norm scale/shift and every
/// bias random, PReLU slopes random per channel, then a few training forwards move the batch-norm running
/// statistics away from (0, 1).
/// </summary>
internal static class OrtComparison
{
    public const double Tolerance = 1e-4;

    /// <summary>One output's agreement: the largest absolute difference and the largest engine magnitude.</summary>
    public sealed record Difference(string Output, int[] Dims, double MaxAbsDiff, double MaxAbs)
    {
        public double Scaled => MaxAbsDiff / Math.Max(1.0, MaxAbs);
    }

    /// <summary>Builds with <paramref name="build"/> on the GL thread, exports to <paramref name="folder"/>, compares; returns the differences.</summary>
    public static IReadOnlyList<Difference> AssertMatches(GpuFixture gpu, Func<GpuContext, Model> build, int batchSize, int seed,
        string folder, ITestOutputHelper log, OnnxExportOptions? options = null)
    {
        string path = Path.Combine(folder, "model.onnx");
        var (modelName, input, inputDims, engine) = gpu.Run(ctx =>
        {
            using Model model = build(ctx);
            int[] dims = [batchSize, .. model.InputShapes[0].Dimensions];
            float[] values = TestData.ToFloat(TestData.Uniform(seed, dims.Aggregate(1, (a, b) => a * b)));
            using Tensor x = Tensor.FromData(ctx, new TensorShape(dims), values);
            MakeNonTrivial(model, x, seed);
            OnnxExporter.Export(model, path, options);
            var outputs = model.ForwardAll([x], training: false).Select(t => (Dims: t.Shape.Dimensions.ToArray(), Values: t.ToArray())).ToArray();
            return (model.Name, values, dims, outputs);
        });

        IReadOnlyList<OrtPeer.Output> ort = OrtPeer.Run(path, [(input, inputDims)], folder);
        return AssertClose(modelName, engine, ort, log);
    }

    /// <summary>
    /// Compares ONNX Runtime's outputs with the engine's, output by output (dims equal, values within the tolerance).
    /// With <paramref name="matchNonFinite"/> an infinity or NaN agrees with the same non-finite value (ONNX test
    /// vectors hold inputs like that) and the magnitude is taken over finite values; otherwise any NaN fails.
    /// </summary>
    public static IReadOnlyList<Difference> AssertClose(string modelName, IReadOnlyList<(int[] Dims, float[] Values)> engine,
        IReadOnlyList<OrtPeer.Output> ort, ITestOutputHelper log, bool matchNonFinite = false)
    {
        Assert.Equal(engine.Count, ort.Count);
        var differences = new List<Difference>();
        for (int o = 0; o < engine.Count; o++)
        {
            Assert.True(engine[o].Dims.SequenceEqual(ort[o].Dims),
                $"{modelName} output '{ort[o].Name}': ONNX Runtime gives [{string.Join(",", ort[o].Dims)}], the engine [{string.Join(",", engine[o].Dims)}].");
            double maxDiff = 0, maxAbs = 0;
            int worst = 0;
            for (int i = 0; i < engine[o].Values.Length; i++)
            {
                float e = engine[o].Values[i], r = ort[o].Values[i];
                if (matchNonFinite && !float.IsFinite(e) && (e.Equals(r))) continue;   // NaN equals NaN, +inf +inf
                double diff = Math.Abs((double)engine[o].Values[i] - ort[o].Values[i]);
                if (!(diff <= maxDiff)) { maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : diff; worst = i; }
                maxAbs = Math.Max(maxAbs, Math.Abs(engine[o].Values[i]));
            }
            var difference = new Difference(ort[o].Name, engine[o].Dims, maxDiff, maxAbs);
            differences.Add(difference);
            log.WriteLine($"{modelName} '{difference.Output}' [{string.Join(",", difference.Dims)}]: max |ort - engine| {maxDiff:E2}, " +
                          $"max |engine| {maxAbs:G4}, scaled {difference.Scaled:E2}");
            Assert.True(difference.Scaled <= Tolerance,
                $"{modelName} output '{difference.Output}' differs from ONNX Runtime at flat index {worst}: engine {engine[o].Values[worst]}, " +
                $"ort {ort[o].Values[worst]} (max |diff| {maxDiff:E3}, max |engine| {maxAbs:G4}, tolerance {Tolerance} * max(1, max |engine|)).");
        }
        return differences;
    }

    /// <summary>Random batch-norm affine parameters, biases and PReLU slopes, then training forwards for the running statistics.</summary>
    public static void MakeNonTrivial(Model model, Tensor input, int seed, int trainingForwards = 3)
    {
        var random = new Random(seed);
        float[] Uniform(int count, double min, double max) =>
            Enumerable.Range(0, count).Select(_ => (float)(min + (max - min) * random.NextDouble())).ToArray();
        foreach (Layer layer in model.Layers)
        {
            if (layer is BatchNormLayer bn)
            {
                bn.Scale.Value.Upload(Uniform(bn.Channels, 0.5, 1.5));
                bn.Shift.Value.Upload(Uniform(bn.Channels, -0.2, 0.2));
            }
            if (layer is PReluLayer prelu) prelu.Slope.Value.Upload(Uniform(prelu.Slope.Shape.ElementCount, -0.3, 0.6));
            foreach (Parameter p in layer.Parameters)
                if (p.Name.EndsWith(".bias", StringComparison.Ordinal) && layer is not BatchNormLayer)
                    p.Value.Upload(Uniform(p.Shape.ElementCount, -0.1, 0.1));
        }
        for (int i = 0; i < trainingForwards; i++) model.ForwardAll([input], training: true);
    }
}
