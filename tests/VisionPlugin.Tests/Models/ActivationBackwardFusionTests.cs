using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Tests.Kernels;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Models;

/// <summary>
/// <see cref="ActivationBackwardFusion"/> in <see cref="Model.Backward(IReadOnlyList{Tensor}, bool)"/>: with the fusion on,
/// a training step gives exactly the parameter and input gradients it gives with the fusion off, with one dispatch fewer
/// per fused activation; activations with several consumers, model outputs, non-clamp kinds and non-conv consumers are
/// left alone.
/// </summary>
[Collection("Gpu")]
public sealed class ActivationBackwardFusionTests(GpuFixture gpu, ITestOutputHelper output)
{
    /// <summary>
    /// x[3,9,11] -> Clip(-0.5, 0.75) -> conv 3x3/2 -> BN -> ReLU6 --------------------------+
    ///   -> depthwise 3x3 -> BN -> ReLU -> 1x1 -> Add(ReLU6 output) -> ReLU6 -> depthwise 3x3/2 -> LeakyReLU -> ReLU6 (output)
    ///   -> 1x1 -> ReLU -> max pool 2x2 -> ReLU6 -> global average pool (output).
    /// Fusable: in_clip (stem: gather kernel), dw_relu (project: pointwise GEMM), add_relu6 (dw2: depthwise stride 2),
    /// max_relu6 (the average pool's backward).
    /// Not: stem_relu6 (two consumers), dw2_leaky (not a clamp), side_relu6 (a model output), head_relu (feeds a max pool).
    /// </summary>
    private static Model BuildGraph(GpuContext ctx)
    {
        var random = new Random(11);
        var model = new Model(ctx, "fusion", new TensorShape(3, 9, 11));
        int x = model.Add(new ActivationLayer("in_clip", ActivationOptions.Clip(-0.5f, 0.75f)), 0);
        x = model.Add(new Conv2dLayer(ctx, "stem", 3, 8, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1), random: random), x);
        x = model.Add(new BatchNorm2dLayer(ctx, "stem_bn", 8), x);
        int skip = model.Add(new ActivationLayer("stem_relu6", ActivationOptions.Relu6()), x);
        x = model.Add(new Conv2dLayer(ctx, "dw", 8, 8, 3, 3, Conv2dOptions.Create(padding: 1, groups: 8), random: random), skip);
        x = model.Add(new BatchNorm2dLayer(ctx, "dw_bn", 8), x);
        x = model.Add(new ActivationLayer("dw_relu", ActivationOptions.Relu()), x);
        x = model.Add(new Conv2dLayer(ctx, "project", 8, 8, 1, 1, random: random), x);
        x = model.Add(new AddLayer("add"), x, skip);
        x = model.Add(new ActivationLayer("add_relu6", ActivationOptions.Relu6()), x);
        x = model.Add(new Conv2dLayer(ctx, "dw2", 8, 8, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1, groups: 8), random: random), x);
        x = model.Add(new ActivationLayer("dw2_leaky", ActivationOptions.LeakyRelu(0.1f)), x);
        int side = model.Add(new ActivationLayer("side_relu6", ActivationOptions.Relu6()), x);
        x = model.Add(new Conv2dLayer(ctx, "head", 8, 6, 1, 1, random: random), side);
        x = model.Add(new ActivationLayer("head_relu", ActivationOptions.Relu()), x);
        x = model.Add(new MaxPool2dLayer("max", Pool2dOptions.Create(2)), x);
        x = model.Add(new ActivationLayer("max_relu6", ActivationOptions.Relu6()), x);
        int pool = model.Add(new GlobalAvgPoolLayer("pool"), x);
        model.SetOutputs(pool, side);
        return model;
    }

    [Fact]
    public void Plan_fuses_single_consumer_clamps_into_convolutions_and_average_pools_only()
    {
        gpu.Run(ctx =>
        {
            using Model model = BuildGraph(ctx);
            Assert.Equal([("in_clip", "stem"), ("dw_relu", "project"), ("add_relu6", "dw2"), ("max_relu6", "pool")], ActivationBackwardFusion.Pairs(model));
        });
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Fused_training_backward_equals_unfused_with_one_dispatch_fewer_per_activation(int batch)
    {
        gpu.Run(ctx =>
        {
            using Model model = BuildGraph(ctx);
            int fusedPairs = ActivationBackwardFusion.Pairs(model).Count;
            TensorShape inShape = new([batch, .. model.InputShapes[0].Dimensions]);
            // Inputs on both clip bounds and at -0: the input gradient must stop exactly where Clip's own backward stops it.
            float[] x = TestData.ToFloat(TestData.Uniform(21, inShape.ElementCount, -1.5, 1.75));
            for (int i = 0; i < x.Length; i += 5) x[i] = i % 10 == 0 ? -0.5f : 0.75f;
            for (int i = 3; i < x.Length; i += 13) x[i] = -0f;
            using var input = Tensor.FromData(ctx, inShape, x);
            TensorShape[] shapes = model.InferShapes(batch);
            using var gradPool = Tensor.FromData(ctx, shapes[model.Outputs[0]], TestData.ToFloat(TestData.Uniform(22, shapes[model.Outputs[0]].ElementCount)));
            using var gradSide = Tensor.FromData(ctx, shapes[model.Outputs[1]], TestData.ToFloat(TestData.Uniform(23, shapes[model.Outputs[1]].ElementCount)));

            (float[][] Gradients, long Dispatches) Step(bool fuse)
            {
                model.FuseActivationBackward = fuse;
                model.ZeroGradients();
                model.ForwardAll([input], training: true);
                long start = ctx.DispatchCount;
                IReadOnlyList<Tensor?> inputGradients = model.Backward([gradPool, gradSide], inputGradients: true);
                long dispatches = ctx.DispatchCount - start;
                float[][] gradients = [inputGradients[0]!.ToArray(), .. model.Parameters.Select(p => p.Gradient.ToArray())];
                return (gradients, dispatches);
            }

            var (unfused, unfusedDispatches) = Step(fuse: false);
            var (fused, fusedDispatches) = Step(fuse: true);
            string[] names = ["input", .. model.Parameters.Select(p => p.Name)];
            for (int i = 0; i < names.Length; i++)
                ConvActivationBackwardTests.AssertSame($"Model.Backward {names[i]} gradient, fused vs unfused", $"batch {batch}",
                    new TensorShape(unfused[i].Length), unfused[i], fused[i]);
            Assert.Contains(unfused[0], v => v != 0);   // the input gradient is not trivially zero
            output.WriteLine($"batch {batch}: backward {unfusedDispatches} dispatches unfused, {fusedDispatches} fused ({fusedPairs} pairs)");
            Assert.Equal(4, fusedPairs);
            Assert.Equal(unfusedDispatches - fusedPairs, fusedDispatches);
        });
    }

    /// <summary>The plan follows each view's own graph: a front cut at dw_relu makes it an output (not fused), and stem_relu6,
    /// whose second consumer (the Add) lies outside the view, now feeds dw alone (fused).</summary>
    [Fact]
    public void A_view_plans_on_its_own_graph()
    {
        gpu.Run(ctx =>
        {
            using Model model = BuildGraph(ctx);
            int dwRelu = Enumerable.Range(0, model.NodeCount).First(i => model.NodeAt(i).Layer?.Name == "dw_relu");
            using Model front = ModelSlicing.Front(model, dwRelu);
            Assert.Equal([("in_clip", "stem"), ("stem_relu6", "dw")], ActivationBackwardFusion.Pairs(front));
        });
    }
}
