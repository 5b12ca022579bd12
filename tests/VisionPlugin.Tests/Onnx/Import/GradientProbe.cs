using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;
using Xunit.Sdk;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>
/// Checks <see cref="ImportedModel.Gradients"/> against central finite differences of the same GPU forward pass:
/// for L = sum_k sum(output_k * dy_k), dL/dv ~ (L(v + h) - L(v - h)) / 2h for sampled elements v of every float input
/// and every float initializer (an initializer is perturbed in the model, which is then imported again, so the
/// check covers how parameters map back to initializers: transposes, shards, BatchNorm statistics).
/// </summary>
internal static class GradientProbe
{
    public static void Check(GpuFixture gpu, string what, OnnxModel model, OnnxTensor[] inputs, OnnxImportOptions? options = null,
        double step = 1e-2, int samples = 12, double atol = 2e-3, double rtol = 1e-2, int seed = 1)
    {
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, model, options);
            OnnxTensor[] dys = imported.Outputs.Select((o, k) => OnnxTensor.FromFloats(o.Name, Dims(o.Shape),
                TestData.ToFloat(TestData.Uniform(seed + 100 + k, o.Shape.ElementCount)))).ToArray();
            float[][] dy = dys.Select(t => t.ToFloatArray()).ToArray();
            OnnxGradients gradients = imported.Gradients(inputs, dys);

            double Loss(ImportedModel m, OnnxTensor[] xs)
            {
                IReadOnlyList<OnnxTensor> outputs = m.Run(xs);
                double sum = 0;
                for (int k = 0; k < outputs.Count; k++)
                {
                    float[] y = outputs[k].ToFloatArray();
                    for (int i = 0; i < y.Length; i++) sum += (double)y[i] * dy[k][i];
                }
                return sum;
            }

            var random = new Random(seed);
            for (int i = 0; i < inputs.Length; i++)
            {
                if (gradients.Inputs[i] is not { } analytic) continue;
                float[] x = inputs[i].ToFloatArray(), g = analytic.ToFloatArray();
                foreach (int j in Sample(random, x.Length, samples))
                {
                    double Perturbed(double delta)
                    {
                        float[] changed = (float[])x.Clone();
                        changed[j] += (float)delta;
                        OnnxTensor[] xs = (OnnxTensor[])inputs.Clone();
                        xs[i] = OnnxTensor.FromFloats(inputs[i].Name, inputs[i].Dims.AsSpan(), changed);
                        return Loss(imported, xs);
                    }
                    Compare($"{what}: d/d input {i} ('{imported.Inputs[i].Name}')", j, g[j], (Perturbed(step) - Perturbed(-step)) / (2 * step), atol, rtol);
                }
            }
            foreach (var (name, analytic) in gradients.Initializers)
            {
                OnnxTensor original = model.Graph.FindInitializer(name)!;
                float[] w = original.ToFloatArray(), g = analytic.ToFloatArray();
                Assert.Equal(original.Dims, analytic.Dims);
                foreach (int j in Sample(random, w.Length, samples))
                {
                    double Perturbed(double delta)
                    {
                        float[] changed = (float[])w.Clone();
                        changed[j] += (float)delta;
                        OnnxTensor replacement = OnnxTensor.FromFloats(name, original.Dims.AsSpan(), changed);
                        OnnxModel edited = model with
                        {
                            Graph = model.Graph with { Initializers = ValueArray.From(model.Graph.Initializers.Select(t => t.Name == name ? replacement : t)) },
                        };
                        using ImportedModel m = OnnxImporter.Load(ctx, edited, options);
                        return Loss(m, inputs);
                    }
                    Compare($"{what}: d/d initializer '{name}'", j, g[j], (Perturbed(step) - Perturbed(-step)) / (2 * step), atol, rtol);
                }
            }
        });
    }

    private static void Compare(string what, int index, double analytic, double numeric, double atol, double rtol)
    {
        if (Math.Abs(analytic - numeric) > atol + rtol * Math.Abs(numeric))
            throw new XunitException($"{what} element {index}: backward {analytic:G6}, finite differences {numeric:G6} (atol {atol}, rtol {rtol}).");
    }

    private static IEnumerable<int> Sample(Random random, int count, int samples) =>
        count <= samples ? Enumerable.Range(0, count) : Enumerable.Range(0, samples).Select(_ => random.Next(count)).Distinct();

    public static long[] Dims(TensorShape shape) => shape.Dimensions.ToArray().Select(d => (long)d).ToArray();

    public static OnnxTensor Random(string name, int seed, params long[] dims) =>
        OnnxTensor.FromFloats(name, dims, TestData.ToFloat(TestData.Uniform(seed, (int)dims.Aggregate(1L, (a, d) => a * d))));
}
