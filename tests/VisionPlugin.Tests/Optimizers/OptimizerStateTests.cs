using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>State allocation, checkpoint round trips, freezing, per-parameter learning rates and disposal.</summary>
[Collection("Gpu")]
public sealed class OptimizerStateTests(GpuFixture gpu)
{
    public static TheoryData<OptimizerKind> Kinds => new(Enum.GetValues<OptimizerKind>());

    private static OptimizerOptions DefaultOptions(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => new SgdOptions(),
        OptimizerKind.Momentum or OptimizerKind.Nesterov => new MomentumOptions(),
        OptimizerKind.Adagrad => new AdagradOptions(),
        OptimizerKind.RmsProp => new RmsPropOptions { Momentum = 0.5f, Centered = true },
        OptimizerKind.Adadelta => new AdadeltaOptions(),
        OptimizerKind.Adam => new AdamOptions { AmsGrad = true },
        OptimizerKind.AdamW => AdamOptions.AdamWDefault,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Parameter[] MakeParameters(GpuContext ctx, int seed)
    {
        Parameter[] parameters =
        [
            new(ctx, "conv.weight", new TensorShape(3, 2, 3, 3)),
            new(ctx, "conv.bias", new TensorShape(3)) { DecayWeights = false },
            new(ctx, "fc.weight", new TensorShape(4, 5)) { Trainable = false },
        ];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value.Upload(TestData.ToFloat(TestData.Uniform(seed + i, parameters[i].Shape.ElementCount)));
            parameters[i].ZeroGradient(); // parameter storage is lazy: allocate the gradient now, so buffer counts below see only optimizer state
        }
        return parameters;
    }

    private static void SetGradients(Parameter[] parameters, int step)
    {
        for (int i = 0; i < parameters.Length; i++)
            parameters[i].Gradient.Upload(TestData.ToFloat(TestData.Uniform(500 + 10 * step + i, parameters[i].Shape.ElementCount)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void State_is_allocated_lazily_named_per_slot_and_freed_on_dispose(OptimizerKind kind)
    {
        gpu.Run(ctx =>
        {
            Parameter[] parameters = MakeParameters(ctx, 1);
            try
            {
                long buffersBefore = ctx.LiveBufferCount;
                var optimizer = OptimizerCases.Create(kind, parameters, DefaultOptions(kind));
                Assert.Empty(optimizer.StateTensors);
                Assert.Empty(optimizer.StateSteps);
                SetGradients(parameters, 0);
                optimizer.Step();
                string[] trainedNames = ["conv.weight", "conv.bias"];
                Assert.Equal(trainedNames.SelectMany(p => optimizer.StateSlots.Select(s => $"{p}.{s}")), optimizer.StateTensors.Select(t => t.Name));
                Assert.All(optimizer.StateTensors, t => Assert.Equal(parameters[Array.IndexOf(trainedNames, t.Name[..t.Name.LastIndexOf('.')])].Shape, t.Tensor.Shape));
                Assert.Equal([("conv.weight.step", 1L), ("conv.bias.step", 1L)], optimizer.StateSteps);

                optimizer.AllocateState();  // the frozen parameter gets (zero) state too, e.g. before loading a checkpoint
                Assert.Equal(3 * optimizer.StateSlots.Count, optimizer.StateTensors.Count);
                Assert.Equal(("fc.weight.step", 0L), optimizer.StateSteps[2]);

                optimizer.Dispose();
                optimizer.Dispose();  // idempotent
                Assert.Equal(buffersBefore, ctx.LiveBufferCount);
                Assert.Throws<ObjectDisposedException>(optimizer.Step);
            }
            finally
            {
                foreach (Parameter p in parameters) p.Dispose();
            }
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Checkpoint_round_trip_continues_exactly(OptimizerKind kind)
    {
        gpu.Run(ctx =>
        {
            Parameter[] original = MakeParameters(ctx, 7);
            Parameter[] restored = MakeParameters(ctx, 99);  // different values: all overwritten by the "checkpoint"
            OptimizerOptions options = DefaultOptions(kind);
            try
            {
                using Optimizer first = OptimizerCases.Create(kind, original, options);
                for (int step = 0; step < 3; step++)
                {
                    SetGradients(original, step);
                    first.Step();
                }
                first.LearningRate *= 0.5f;

                // Save: parameter values, state tensors, per-parameter steps, step count, learning rate.
                var values = original.Select(p => p.Value.ToArray()).ToArray();
                var state = first.StateTensors.ToDictionary(t => t.Name, t => t.Tensor.ToArray());
                var steps = first.StateSteps.ToDictionary(s => s.Name, s => s.Steps);

                using Optimizer second = OptimizerCases.Create(kind, restored, options);
                for (int i = 0; i < restored.Length; i++) restored[i].Value.Upload(values[i]);
                second.AllocateState();
                foreach (var (name, tensor) in second.StateTensors)
                    if (state.TryGetValue(name, out float[]? saved)) tensor.Upload(saved);
                foreach (var (name, count) in steps) second.RestoreStateSteps(name, count);
                second.StepCount = first.StepCount;
                second.LearningRate = first.LearningRate;

                for (int step = 3; step < 6; step++)
                {
                    SetGradients(original, step);
                    SetGradients(restored, step);
                    first.Step();
                    second.Step();
                }
                for (int i = 0; i < original.Length; i++) Assert.Equal(original[i].Value.ToArray(), restored[i].Value.ToArray());
                Assert.Equal(first.StepCount, second.StepCount);
            }
            finally
            {
                foreach (Parameter p in original.Concat(restored)) p.Dispose();
            }
        });
    }

    [Fact]
    public void Parameter_unfrozen_late_starts_its_own_bias_correction()
    {
        var options = new AdamOptions { LearningRate = 0.01f };
        double[] start = TestData.RoundToFloat(TestData.Uniform(3, 9));
        var reference = new ReferenceParameter("late", (double[])start.Clone(), trainable: false);
        var referenceOptimizer = new OptimizerReference(OptimizerKind.Adam, options);
        gpu.Run(ctx =>
        {
            using var late = new Parameter(ctx, "late", new TensorShape(9)) { Trainable = false };
            late.Value.Upload(TestData.ToFloat(start));
            using var adam = new Adam([late], options);
            for (int step = 0; step < 6; step++)
            {
                if (step == 3) late.Trainable = reference.Trainable = true;  // e.g. fine-tuning unfreezes the backbone
                double[] gradient = TestData.RoundToFloat(TestData.Uniform(70 + step, 9));
                late.Gradient.Upload(TestData.ToFloat(gradient));
                gradient.CopyTo(reference.Gradient, 0);
                adam.Step();
                referenceOptimizer.Step([reference]);
                TensorAssert.Close("Adam unfrozen late", $"step {step}", late.Shape, reference.Value, late.Value.ToArray(), 1e-6, 1e-5);
            }
            Assert.Equal(6, adam.StepCount);
            Assert.Equal([("late.step", 3L)], adam.StateSteps);
        });
    }

    [Fact]
    public void Zero_learning_rate_scale_leaves_a_parameter_unchanged_and_negative_scale_is_rejected()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "p", new TensorShape(4)) { LearningRateScale = 0f };
            p.Value.Upload([1f, 2f, 3f, 4f]);
            p.Gradient.Upload([1f, 1f, 1f, 1f]);
            using var adamW = new AdamW([p]);
            adamW.Step();
            Assert.Equal([1f, 2f, 3f, 4f], p.Value.ToArray());
            Assert.Equal([0f, 0f, 0f, 0f], p.Gradient.ToArray());

            p.LearningRateScale = -1f;
            var e = Assert.Throws<ArgumentOutOfRangeException>(adamW.Step);
            Assert.Equal("LearningRateScale", e.ParamName);
            Assert.Contains("'p'", e.Message);
        });
    }

    [Fact]
    public void Duplicate_parameters_are_rejected()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "conv.weight", new TensorShape(2));
            var e = Assert.Throws<ArgumentException>(() => new Sgd([p, p]));
            Assert.Equal("parameters", e.ParamName);
            Assert.Contains("conv.weight", e.Message);
        });
    }

    [Fact]
    public void Unknown_step_state_name_is_rejected()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "conv.weight", new TensorShape(2));
            using var adam = new Adam([p]);
            var e = Assert.Throws<ArgumentException>(() => adam.RestoreStateSteps("conv.bias.step", 3));
            Assert.Contains("conv.bias.step", e.Message);
        });
    }
}
