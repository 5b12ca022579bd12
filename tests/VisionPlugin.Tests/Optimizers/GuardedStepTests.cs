using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>
/// <see cref="Optimizer.GuardedStep"/> decides on the GPU whether a step is applied: every configuration runs
/// five guarded steps — accepted, rejected for a NaN gradient, accepted, rejected for an infinite loss, accepted —
/// and must match the double-precision reference that took only the three accepted steps (so Adam's bias
/// correction continues t = 1, 2, 3 across the rejections), with values, state and update counters untouched
/// by each rejected step and every gradient zeroed after every step.
/// </summary>
[Collection("Gpu")]
public sealed class GuardedStepTests(GpuFixture gpu)
{
    private static readonly (string Name, int Size, bool Trainable)[] Layout = [("a.weight", 29, true), ("a.bias", 6, true), ("frozen", 5, false)];
    private const double Atol = 1e-6, Rtol = 1e-5;

    public static TheoryData<string> Cases => OptimizerCases.Names();

    /// <summary>Step 2's gradient has a NaN in parameter 0; step 4's gradients are fine but its loss is +Inf.</summary>
    private static bool Rejected(int step) => step is 2 or 4;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejected_steps_change_nothing_and_accepted_steps_match_the_reference(string name)
    {
        var (kind, options) = OptimizerCases.All[name];
        var references = Layout.Select((p, i) => new ReferenceParameter(p.Name, TestData.RoundToFloat(TestData.Uniform(40 + i, p.Size)), p.Trainable)).ToArray();
        var reference = new OptimizerReference(kind, options);
        gpu.Run(ctx =>
        {
            var parameters = Layout.Select((p, i) =>
            {
                var parameter = new Parameter(ctx, p.Name, new TensorShape(p.Size)) { Trainable = p.Trainable };
                parameter.Value.Upload(TestData.ToFloat(references[i].Value));
                return parameter;
            }).ToArray();
            using var loss = new Tensor(ctx, new TensorShape(1));
            try
            {
                using Optimizer optimizer = OptimizerCases.Create(kind, parameters, options);
                int accepted = 0;
                for (int step = 1; step <= 5; step++)
                {
                    float[][] valuesBefore = parameters.Select(p => p.Value.ToArray()).ToArray();
                    float[][] stateBefore = optimizer.StateTensors.Select(t => t.Tensor.ToArray()).ToArray();
                    for (int p = 0; p < parameters.Length; p++)
                    {
                        double[] gradient = TestData.RoundToFloat(TestData.Uniform(300 + 10 * step + p, Layout[p].Size));
                        float[] upload = TestData.ToFloat(gradient);
                        if (step == 2 && p == 0) upload[17] = float.NaN;
                        parameters[p].Gradient.Upload(upload);
                        gradient.CopyTo(references[p].Gradient, 0);
                    }
                    loss.Upload([step == 4 ? float.PositiveInfinity : 0.5f]);

                    optimizer.GuardedStep(loss);

                    string where = $"{name} guarded step {step}";
                    Assert.True(optimizer.ReadLastStepAccepted() != Rejected(step), $"{where}: accepted should be {!Rejected(step)}");
                    if (Rejected(step))
                    {
                        for (int p = 0; p < parameters.Length; p++)
                            Assert.True(valuesBefore[p].SequenceEqual(parameters[p].Value.ToArray()), $"{where}: {Layout[p].Name} changed on a rejected step");
                        float[][] stateAfter = optimizer.StateTensors.Select(t => t.Tensor.ToArray()).ToArray();
                        for (int s = 0; s < stateBefore.Length; s++)
                            Assert.True(stateBefore[s].SequenceEqual(stateAfter[s]), $"{where}: state {optimizer.StateTensors[s].Name} changed on a rejected step");
                    }
                    else
                    {
                        accepted++;
                        reference.Step(references);
                        for (int p = 0; p < parameters.Length; p++)
                            TensorAssert.Close(where, Layout[p].Name, parameters[p].Shape, references[p].Value, parameters[p].Value.ToArray(), Atol, Rtol);
                    }
                    foreach (Parameter parameter in parameters)
                        Assert.All(parameter.Gradient.ToArray(), g => Assert.Equal(0f, g));
                    Assert.Equal([("a.weight.step", (long)accepted), ("a.bias.step", (long)accepted)], optimizer.StateSteps);
                }
                Assert.Equal(5, optimizer.StepCount); // calls, rejected ones included
            }
            finally
            {
                foreach (Parameter p in parameters) p.Dispose();
            }
        });
    }

    [Fact]
    public void Plain_step_after_a_rejected_guarded_step_is_applied()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "p", new TensorShape(3));
            p.Value.Upload([1f, 2f, 3f]);
            using var sgd = new Sgd([p], new SgdOptions { LearningRate = 0.5f });
            p.Gradient.Upload([1f, float.NaN, 1f]);
            sgd.GuardedStep();
            Assert.False(sgd.ReadLastStepAccepted());
            Assert.Equal([1f, 2f, 3f], p.Value.ToArray());

            p.Gradient.Upload([2f, 2f, 2f]);
            sgd.Step(); // unguarded: the stale rejection must not carry over
            Assert.True(sgd.ReadLastStepAccepted());
            Assert.Equal([0f, 1f, 2f], p.Value.ToArray());
        });
    }

    [Fact]
    public void Plain_step_clipping_by_norm_is_never_rejected()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "p", new TensorShape(2));
            p.Value.Upload([1f, 2f]);
            using var sgd = new Sgd([p], new SgdOptions { LearningRate = 0.5f, Clipping = GradientClipping.ByNorm(1f) });
            p.Gradient.Upload([float.NaN, 1f]);
            sgd.Step(); // as before guarding existed: the NaN norm gives a NaN scale, and the step is applied
            Assert.True(sgd.ReadLastStepAccepted());
            Assert.All(p.Value.ToArray(), v => Assert.True(float.IsNaN(v)));
        });
    }

    [Fact]
    public void An_optimizer_without_parameters_has_no_step_status_and_trains_nothing()
    {
        gpu.Run(ctx =>
        {
            using var sgd = new Sgd([]);
            sgd.Step();
            Assert.Contains("no parameters", Assert.Throws<InvalidOperationException>(() => sgd.StepStatus).Message);
            using var model = new VisionPlugin.Engine.Models.Model(ctx, "empty", new TensorShape(1, 4));
            var e = Assert.Throws<ArgumentException>(() => new VisionPlugin.Engine.Training.ClassifierTrainer(model, sgd));
            Assert.Contains("nothing would train", e.Message);
        });
    }

    [Fact]
    public void Guarded_step_needs_a_one_element_loss()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "p", new TensorShape(2));
            using var adam = new Adam([p]);
            using var wrong = new Tensor(ctx, new TensorShape(2));
            var e = Assert.Throws<ArgumentException>(() => adam.GuardedStep(wrong));
            Assert.Equal("loss", e.ParamName);
            Assert.Contains("[2]", e.Message);
        });
    }
}
