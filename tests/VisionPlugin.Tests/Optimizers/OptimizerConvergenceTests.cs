using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>
/// Sanity: each optimizer minimizes an ill-conditioned quadratic
///   L(w) = 1/2 * sum_i a_i (w_i - c_i)^2,   a_i in [0.5, 2],   dL/dw_i = a_i (w_i - c_i),
/// with the loss evaluated on the CPU from downloaded values and the gradient uploaded each step.
/// </summary>
[Collection("Gpu")]
public sealed class OptimizerConvergenceTests(GpuFixture gpu)
{
    /// <summary>Configuration names; learning rates and step counts chosen for this problem (Adadelta with its defaults starts slowly).</summary>
    public static TheoryData<string> Names => new(Configurations.Keys);

    private static readonly Dictionary<string, (OptimizerKind Kind, OptimizerOptions Options, int Steps)> Configurations = new()
    {
        ["sgd"] = (OptimizerKind.Sgd, new SgdOptions { LearningRate = 0.2f }, 100),
        ["momentum"] = (OptimizerKind.Momentum, new MomentumOptions { LearningRate = 0.05f, Momentum = 0.9f }, 100),
        ["nesterov"] = (OptimizerKind.Nesterov, new MomentumOptions { LearningRate = 0.05f, Momentum = 0.9f }, 100),
        ["adagrad"] = (OptimizerKind.Adagrad, new AdagradOptions { LearningRate = 0.5f }, 100),
        ["rmsprop"] = (OptimizerKind.RmsProp, new RmsPropOptions { LearningRate = 0.01f }, 100),
        ["adadelta"] = (OptimizerKind.Adadelta, new AdadeltaOptions { LearningRate = 1f }, 300),
        ["adam"] = (OptimizerKind.Adam, new AdamOptions { LearningRate = 0.05f }, 100),
        ["adamw"] = (OptimizerKind.AdamW, AdamOptions.AdamWDefault with { LearningRate = 0.05f }, 100),
    };

    /// <summary>The loss must fall at least this much.</summary>
    private const double RequiredReduction = 100;

    [Theory]
    [MemberData(nameof(Names))]
    public void Optimizer_minimizes_a_quadratic(string name)
    {
        var (kind, options, steps) = Configurations[name];
        var shapes = new[] { new TensorShape(37), new TensorShape(2, 3, 5) };
        double[][] curvature = shapes.Select((s, i) => TestData.Uniform(200 + i, s.ElementCount, 0.5, 2)).ToArray();
        double[][] target = shapes.Select((s, i) => TestData.Uniform(300 + i, s.ElementCount)).ToArray();
        double Loss(float[][] w)
        {
            double sum = 0;
            for (int p = 0; p < w.Length; p++)
                for (int i = 0; i < w[p].Length; i++) sum += 0.5 * curvature[p][i] * (w[p][i] - target[p][i]) * (w[p][i] - target[p][i]);
            return sum;
        }

        gpu.Run(ctx =>
        {
            var parameters = shapes.Select((s, i) => new Parameter(ctx, $"p{i}", s)).ToArray();  // start at w = 0
            try
            {
                using Optimizer optimizer = OptimizerCases.Create(kind, parameters, options);
                double initial = Loss(parameters.Select(p => p.Value.ToArray()).ToArray());
                for (int step = 0; step < steps; step++)
                {
                    float[][] w = parameters.Select(p => p.Value.ToArray()).ToArray();
                    for (int p = 0; p < parameters.Length; p++)
                        parameters[p].Gradient.Upload(w[p].Select((v, i) => (float)(curvature[p][i] * (v - target[p][i]))).ToArray());
                    optimizer.Step();
                }
                double final = Loss(parameters.Select(p => p.Value.ToArray()).ToArray());
                Assert.True(final * RequiredReduction < initial,
                    $"{name}: loss {initial:G4} -> {final:G4} after {steps} steps (reduction {initial / final:G3}x, required {RequiredReduction}x).");
            }
            finally
            {
                foreach (Parameter p in parameters) p.Dispose();
            }
        });
    }
}
