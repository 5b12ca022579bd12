using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Tests.TfJs;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Models;

/// <summary>
/// <see cref="InferenceGraphOptimizer"/>: the optimized view computes the source model's inference outputs (BatchNorm with
/// non-trivial running statistics folded, zero Pad folded, ReLU6/ReLU/residual Add fused) with fewer dispatches, leaves
/// alone what it must not fuse, and follows the source after <see cref="InferenceGraphOptimizer.Refresh"/>.
/// </summary>
[Collection("Gpu")]
public sealed class InferenceGraphOptimizerTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const double Atol = 1e-4, Rtol = 1e-3;

    /// <summary>Gives every BatchNorm non-trivial statistics so a wrong fold shows: gamma, beta, mean, var from <paramref name="seed"/>.</summary>
    private static void RandomizeNorms(Model model, int seed)
    {
        foreach (BatchNormLayer norm in model.Layers.OfType<BatchNormLayer>())
        {
            int c = norm.Channels;
            norm.Scale.Value.Upload(TestData.ToFloat(TestData.Uniform(seed++, c, 0.5, 1.5)));
            norm.Shift.Value.Upload(TestData.ToFloat(TestData.Uniform(seed++, c, -0.5, 0.5)));
            norm.RunningMean.Upload(TestData.ToFloat(TestData.Uniform(seed++, c, -0.5, 0.5)));
            norm.RunningVariance.Upload(TestData.ToFloat(TestData.Uniform(seed++, c, 0.5, 2)));
        }
    }

    /// <summary>
    /// x[3,9,11] -> Pad(0,0,1,1) -> conv 3x3/2 (no bias) -> BN -> ReLU6 -> depthwise 3x3 -> BN -> ReLU -> 1x1 -> BN
    /// -> Add(ReLU6 output) -> 1x1 (bias) -> ReLU: one of each fusion, on odd sizes.
    /// </summary>
    private static Model BuildBlock(GpuContext ctx)
    {
        var random = new Random(5);
        var model = new Model(ctx, "block", new TensorShape(3, 9, 11));
        int pad = model.Add(new Pad2dLayer("pad", new Padding2d(0, 0, 1, 1)), 0);
        int stem = model.Add(new Conv2dLayer(ctx, "stem", 3, 8, 3, 3, Conv2dOptions.Create(stride: 2), bias: false, random: random), pad);
        stem = model.Add(new BatchNorm2dLayer(ctx, "stem_bn", 8), stem);
        int skip = model.Add(new ActivationLayer("stem_relu6", ActivationOptions.Relu6()), stem);
        int x = model.Add(new Conv2dLayer(ctx, "dw", 8, 8, 3, 3, Conv2dOptions.Create(padding: 1, groups: 8), random: random), skip);
        x = model.Add(new BatchNorm2dLayer(ctx, "dw_bn", 8), x);
        x = model.Add(new ActivationLayer("dw_relu", ActivationOptions.Relu()), x);
        x = model.Add(new Conv2dLayer(ctx, "project", 8, 8, 1, 1, bias: false, random: random), x);
        x = model.Add(new BatchNorm2dLayer(ctx, "project_bn", 8), x);
        x = model.Add(new AddLayer("add"), x, skip);
        x = model.Add(new Conv2dLayer(ctx, "head", 8, 5, 1, 1, random: random), x);
        model.Add(new ActivationLayer("head_relu", ActivationOptions.Relu()), x);
        RandomizeNorms(model, 100);
        return model;
    }

    /// <summary>Runs both models on the same input; asserts equal outputs; returns (source, optimized) dispatch counts.</summary>
    private static (long Source, long Optimized) AssertSameOutputs(GpuContext ctx, Model source, Model optimized, int batch, int seed, string name)
    {
        TensorShape shape = new([batch, .. source.InputShapes[0].Dimensions]);
        using var input = Tensor.FromData(ctx, shape, TestData.ToFloat(TestData.Uniform(seed, shape.ElementCount)));
        long start = ctx.DispatchCount;
        Tensor expectedTensor = source.Forward(input, training: false);
        long sourceDispatches = ctx.DispatchCount - start;
        double[] expected = Array.ConvertAll(expectedTensor.ToArray(), v => (double)v);
        start = ctx.DispatchCount;
        Tensor actual = optimized.Forward(input, training: false);
        long optimizedDispatches = ctx.DispatchCount - start;
        TensorAssert.Close("InferenceGraphOptimizer", $"{name}, input {shape}", actual.Shape, expected, actual.ToArray(), Atol, Rtol);
        return (sourceDispatches, optimizedDispatches);
    }

    [Fact]
    public void Block_with_every_fusion_matches_the_source_with_fewer_layers_and_dispatches()
    {
        gpu.Run(ctx =>
        {
            using Model source = BuildBlock(ctx);
            using Model optimized = InferenceGraphOptimizer.Optimize(source);
            Assert.Equal(["stem", "dw", "project", "head"], optimized.Layers.Select(l => l.Name));
            var fused = optimized.Layers.Cast<FusedConv2dLayer>().ToArray();
            Assert.Equal(new Padding2d(0, 0, 1, 1), fused[0].Options.Padding);
            Assert.Equal((0f, 6f), (fused[0].ClampMin, fused[0].ClampMax));
            Assert.Equal((0f, float.PositiveInfinity), (fused[1].ClampMin, fused[1].ClampMax));
            Assert.True(fused[2].HasResidual);
            Assert.Null(fused[3].FoldedNorm);
            var (before, after) = AssertSameOutputs(ctx, source, optimized, batch: 2, seed: 7, "block");
            output.WriteLine($"block: {before} dispatches -> {after}");
            Assert.Equal(4, after);
            Assert.True(before > after);
        });
    }

    [Fact]
    public void Shared_producers_outputs_and_non_zero_pads_are_not_fused()
    {
        gpu.Run(ctx =>
        {
            var random = new Random(9);
            using var source = new Model(ctx, "unfusable", new TensorShape(2, 7, 6));
            int pad = source.Add(new Pad2dLayer("edge_pad", Pad2dOptions.Edge(Padding2d.All(1))), 0);
            int a = source.Add(new Conv2dLayer(ctx, "a", 2, 4, 3, 3, random: random), pad);
            int relu = source.Add(new ActivationLayer("a_relu", ActivationOptions.Relu()), a);
            int sum = source.Add(new AddLayer("a_plus_relu"), a, relu);          // a feeds two layers: nothing fuses into it
            int onePad = source.Add(new Pad2dLayer("one_pad", Pad2dOptions.Constant(Padding2d.All(1), 1f)), sum);
            int b = source.Add(new Conv2dLayer(ctx, "b", 4, 3, 3, 3, random: random), onePad);
            int bn = source.Add(new BatchNorm2dLayer(ctx, "b_bn", 3), b);
            int tanh = source.Add(new ActivationLayer("b_tanh", ActivationOptions.Tanh()), bn);
            source.SetOutputs(tanh, bn);                                          // bn is an output: b folds it, and fuses nothing past it
            RandomizeNorms(source, 40);
            using Model optimized = InferenceGraphOptimizer.Optimize(source);
            Assert.Equal(["edge_pad", "a", "a_relu", "a_plus_relu", "one_pad", "b", "b_tanh"], optimized.Layers.Select(l => l.Name));
            var fused = optimized.Layers.OfType<FusedConv2dLayer>().ToArray();
            Assert.Equal((float.NegativeInfinity, float.PositiveInfinity, false, (BatchNormLayer?)null), (fused[0].ClampMin, fused[0].ClampMax, fused[0].HasResidual, fused[0].FoldedNorm));
            Assert.Equal((float.NegativeInfinity, float.PositiveInfinity, false, "b_bn"), (fused[1].ClampMin, fused[1].ClampMax, fused[1].HasResidual, fused[1].FoldedNorm?.Name));
            Assert.All(fused, f => Assert.Equal(Padding2d.None, f.Options.Padding));
            TensorShape shape = new(3, 2, 7, 6);
            using var input = Tensor.FromData(ctx, shape, TestData.ToFloat(TestData.Uniform(3, shape.ElementCount)));
            double[][] expected = source.ForwardAll([input], false).Select(t => Array.ConvertAll(t.ToArray(), v => (double)v)).ToArray();
            IReadOnlyList<Tensor> actual = optimized.ForwardAll([input], false);
            for (int o = 0; o < 2; o++)
                TensorAssert.Close("InferenceGraphOptimizer", $"unfusable graph output {o}", actual[o].Shape, expected[o], actual[o].ToArray(), Atol, Rtol);
        });
    }

    [Fact]
    public void Refresh_follows_changed_source_statistics_and_fused_layers_refuse_backward()
    {
        gpu.Run(ctx =>
        {
            using Model source = BuildBlock(ctx);
            using Model optimized = InferenceGraphOptimizer.Optimize(source);
            AssertSameOutputs(ctx, source, optimized, batch: 1, seed: 8, "block before the change");
            RandomizeNorms(source, 500);   // as training or a checkpoint load would
            var stale = Assert.ThrowsAny<Exception>(() => AssertSameOutputs(ctx, source, optimized, batch: 1, seed: 8, "stale"));
            Assert.Contains("InferenceGraphOptimizer", stale.Message);
            InferenceGraphOptimizer.Refresh(optimized);
            AssertSameOutputs(ctx, source, optimized, batch: 1, seed: 8, "block after Refresh");
            var e = Assert.Throws<InvalidOperationException>(() => optimized.Layers.First().Backward(new Tensor(ctx, 1), [true]));
            Assert.Contains("inference-only", e.Message);
        });
    }

    [Fact]
    public void MobileNetV2_zoo_with_random_statistics_matches_with_a_quarter_of_the_dispatches()
    {
        gpu.Run(ctx =>
        {
            using Model source = MobileNetV2.Build(ctx, classCount: 10, input: new TensorShape(3, 64, 48), seed: 3);
            RandomizeNorms(source, 1000);
            using Model optimized = InferenceGraphOptimizer.Optimize(source);
            Assert.Empty(optimized.Layers.OfType<BatchNormLayer>());
            Assert.Empty(optimized.Layers.OfType<ActivationLayer>());
            var (before, after) = AssertSameOutputs(ctx, source, optimized, batch: 2, seed: 11, "mobilenet_v2 zoo 64x48");
            output.WriteLine($"mobilenet_v2 zoo: {before} dispatches per forward -> {after}");
            Assert.True(after * 3 < before, $"{before} -> {after} dispatches");
        });
    }

    [Fact]
    public void Pretrained_MobileNetV2_trunk_matches_its_optimized_view()
    {
        PretrainedModelFixture.EnsureMobileNetV2();
        gpu.Run(ctx =>
        {
            using Model trunk = PretrainedZoo.MobileNetV2Trunk(ctx);
            using Model optimized = InferenceGraphOptimizer.Optimize(trunk);
            Assert.Empty(optimized.Layers.OfType<Pad2dLayer>());
            var (before, after) = AssertSameOutputs(ctx, trunk, optimized, batch: 2, seed: 12, "pretrained mobilenet_v2 trunk");
            output.WriteLine($"pretrained mobilenet_v2 trunk: {before} dispatches per forward -> {after}");
        });
    }
}
