using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.FineTuning;
using VisionPlugin.Tests.Kernels;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Models;

/// <summary>
/// <see cref="ActivationBackwardFusion"/> on the network the fine-tuning bench times (Host/Bench/FineTuneSection.cs): the
/// pretrained MobileNetV2 trunk + a 10-class linear head, cut before the last two blocks (block 16 and Conv_1), front
/// optimized for inference, tail trained with BatchNorm frozen. Its three fusable activations are block 16's expand and
/// depthwise ReLU6 (into the depthwise 3x3 and the project 1x1) and Conv_1's ReLU6 (into the global average pool).
/// </summary>
[Collection("Gpu")]
public sealed class MobileNetV2TailActivationFusionTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const int ClassCount = 10, TrainableBlocks = 2;

    /// <summary>The bench's fine-tuning network: (front features for <paramref name="input"/>, tail), plus what to dispose.</summary>
    private static (Tensor Features, Model Tail, IDisposable[] Owned) BuildTail(GpuContext ctx, Tensor input)
    {
        Model trunk = PretrainedZoo.MobileNetV2Trunk(ctx);
        var head = new LinearLayer(ctx, "bench_head", trunk.InferShapes()[trunk.Outputs[0]][1], ClassCount,
            weightInit: Initializer.XavierUniform(), random: new Random(0));
        Model network = BackboneBlocks.WithHead(trunk, head, "finetune");
        IReadOnlyList<int> ends = BackboneBlocks.Ends(trunk);
        int cut = ends[ends.Count - 1 - TrainableBlocks];
        Model frozenFront = ModelSlicing.Front(network, cut);
        Model front = InferenceGraphOptimizer.Optimize(frozenFront);
        Model tail = ModelSlicing.Tail(network, cut);
        network.SetFrozen(true);
        foreach (Layer layer in tail.Layers)
            if (layer is not BatchNormLayer) layer.Frozen = false;
        Tensor features = front.Forward(input, training: false);
        return (features, tail, [tail, front, frozenFront, network, head, trunk]);
    }

    private static Tensor RandomTensor(GpuContext ctx, TensorShape shape, int seed) =>
        Tensor.FromData(ctx, shape, TestData.ToFloat(TestData.Uniform(seed, shape.ElementCount)));

    [Fact]
    public void Tail_backward_fused_equals_unfused_with_three_dispatches_fewer()
    {
        gpu.Run(ctx =>
        {
            using Tensor input = RandomTensor(ctx, new TensorShape(2, 3, 224, 224), 1);
            var (features, tail, owned) = BuildTail(ctx, input);
            try
            {
                var pairs = ActivationBackwardFusion.Pairs(tail);
                output.WriteLine("fused: " + string.Join(", ", pairs.Select(p => $"{p.Activation} -> {p.Consumer}")));
                Assert.Equal(3, pairs.Count);
                using Tensor gradLogits = RandomTensor(ctx, tail.InferShapes(2)[tail.Outputs[0]], 2);
                (float[][] Gradients, long Dispatches) Step(bool fuse)
                {
                    tail.FuseActivationBackward = fuse;
                    tail.ZeroGradients();
                    tail.Forward(features, training: true);
                    long start = ctx.DispatchCount;
                    tail.Backward(gradLogits);
                    long dispatches = ctx.DispatchCount - start;
                    return (tail.Parameters.Where(p => p.Trainable).Select(p => p.Gradient.ToArray()).ToArray(), dispatches);
                }
                var (unfused, unfusedDispatches) = Step(fuse: false);
                var (fused, fusedDispatches) = Step(fuse: true);
                string[] names = tail.Parameters.Where(p => p.Trainable).Select(p => p.Name).ToArray();
                for (int i = 0; i < names.Length; i++)
                    ConvActivationBackwardTests.AssertSame($"MobileNetV2 tail {names[i]} gradient, fused vs unfused", "batch 2",
                        new TensorShape(unfused[i].Length), unfused[i], fused[i]);
                output.WriteLine($"tail backward: {unfusedDispatches} dispatches unfused, {fusedDispatches} fused");
                Assert.Equal(unfusedDispatches - pairs.Count, fusedDispatches);
            }
            finally
            {
                foreach (IDisposable d in owned) d.Dispose();
            }
        });
    }
}
