using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>
/// Every optimizer configuration (algorithm x penalty, variants, clipping) runs several steps on the
/// GPU over odd-sized parameters — one without weight decay, two with a learning-rate scale of 0.5,
/// one frozen — with fresh random gradients per step and a learning-rate change halfway, and is
/// compared after every step with the double-precision reference.
/// </summary>
[Collection("Gpu")]
public sealed class OptimizerStepTests(GpuFixture gpu)
{
    /// <summary>(name, shape, decay weights, learning-rate scale, trainable).</summary>
    private static readonly (string Name, int[] Shape, bool Decay, float Scale, bool Trainable)[] Layout =
    [
        ("head.weight", [37], true, 1f, true),
        ("head.bias", [2, 3, 5], false, 0.5f, true),
        ("block.weight", [5, 7], true, 0.5f, true),
        ("stem.weight", [11], true, 1f, false),
    ];

    private const int StepCount = 6;
    private const double Atol = 1e-6, Rtol = 1e-5;

    public static TheoryData<string> Cases => OptimizerCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gpu_steps_match_double_reference_after_every_step(string name)
    {
        var (kind, options) = OptimizerCases.All[name];
        var references = Layout.Select((p, index) => new ReferenceParameter(p.Name,
            TestData.RoundToFloat(TestData.Uniform(10 + index, new TensorShape(p.Shape).ElementCount)),
            p.Trainable, p.Scale, p.Decay)).ToArray();
        var reference = new OptimizerReference(kind, options);

        gpu.Run(ctx =>
        {
            var parameters = Layout.Select((p, index) =>
            {
                var parameter = new Parameter(ctx, p.Name, new TensorShape(p.Shape))
                    { DecayWeights = p.Decay, LearningRateScale = p.Scale, Trainable = p.Trainable };
                parameter.Value.Upload(TestData.ToFloat(references[index].Value));
                return parameter;
            }).ToArray();
            float[] frozenStart = parameters[3].Value.ToArray();
            try
            {
                using Optimizer optimizer = OptimizerCases.Create(kind, parameters, options);
                for (int step = 1; step <= StepCount; step++)
                {
                    if (step == 4)
                    {
                        optimizer.LearningRate = options.LearningRate * 0.5f;  // as a schedule would
                        reference.LearningRate = optimizer.LearningRate;
                    }
                    for (int p = 0; p < parameters.Length; p++)
                    {
                        double[] gradient = TestData.RoundToFloat(TestData.Uniform(100 * step + p, parameters[p].Shape.ElementCount));
                        parameters[p].Gradient.Upload(TestData.ToFloat(gradient));
                        gradient.CopyTo(references[p].Gradient, 0);
                    }
                    optimizer.Step();
                    reference.Step(references);

                    for (int p = 0; p < parameters.Length; p++)
                    {
                        TensorAssert.Close($"{name} step {step}", parameters[p].ToString(), parameters[p].Shape,
                            references[p].Value, parameters[p].Value.ToArray(), Atol, Rtol);
                        Assert.All(parameters[p].Gradient.ToArray(), g => Assert.Equal(0f, g));
                    }
                    if (options.Clipping.MaxNorm is not null)
                        Assert.Equal(reference.LastNorm, optimizer.ReadLastGradientNorm()!.Value, Rtol * reference.LastNorm);
                    else
                        Assert.Null(optimizer.ReadLastGradientNorm());
                }
                Assert.Equal(frozenStart, parameters[3].Value.ToArray());
                Assert.Equal(StepCount, optimizer.StepCount);
                CompareState(name, optimizer, references);
            }
            finally
            {
                foreach (Parameter parameter in parameters) parameter.Dispose();
            }
        });
    }

    /// <summary>The optimizer's state tensors carry the reference's names and values; frozen parameters have none.</summary>
    private static void CompareState(string name, Optimizer optimizer, ReferenceParameter[] references)
    {
        var expected = references.Where(r => r.Trainable)
            .SelectMany(r => optimizer.StateSlots.Select(slot => ($"{r.Name}.{slot}", r.Slot(slot))))
            .ToList();
        var actual = optimizer.StateTensors;
        Assert.Equal(expected.Select(e => e.Item1), actual.Select(a => a.Name));
        for (int i = 0; i < expected.Count; i++)
            TensorAssert.Close($"{name} state", expected[i].Item1, actual[i].Tensor.Shape, expected[i].Item2, actual[i].Tensor.ToArray(), Atol, Rtol);
        Assert.Equal(references.Where(r => r.Trainable).Select(r => ($"{r.Name}.step", r.Steps)), optimizer.StateSteps);
    }
}
