using System.Diagnostics;
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
    /// <summary>Set to 1 to run <see cref="Tail_forward_backward_timing_fused_vs_unfused"/> (a measurement, not a check).</summary>
    public const string TimingVariable = "VISIONPLUGIN_TIMING";

    private const int ClassCount = 10, TrainableBlocks = 2;

    /// <summary>The bench's fine-tuning network: (front features for <paramref name="input"/>, tail), plus what to dispose.</summary>
    private static (Tensor Features, Model Tail, IDisposable[] Owned) BuildTail(GpuContext ctx, Tensor input)
    {
        Model trunk = PretrainedZoo.MobileNetV2Trunk(ctx);
        var head = new LinearLayer(ctx, "bench_head", trunk.InferShapes()[trunk.Outputs[0]][1], ClassCount,
            weightInit: Initializer.XavierUniform(), random: new Random(0));
        var network = new Model(ctx, "finetune", [.. trunk.InputShapes]) { OwnsLayers = false };
        for (int id = trunk.InputCount; id < trunk.NodeCount; id++)
        {
            var (layer, inputs) = trunk.NodeAt(id);
            network.Add(layer!, [.. inputs]);
        }
        network.Add(head, trunk.Outputs[0]);
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

    private static string Summary(List<double> milliseconds)
    {
        double[] sorted = [.. milliseconds.Order()];
        return $"median {sorted[sorted.Length / 2]:F2} ms (min {sorted[0]:F2}, max {sorted[^1]:F2}, n={sorted.Length})";
    }

    /// <summary>
    /// One fused pair alone: the consumer's backward input (conv or average pool) + the ReLU6 backward (unfused) against
    /// the fused backward input, on the tail's real shapes (its input recorded by a training forward), interleaved.
    /// </summary>
    private void TimeConsumerBackwardInput(GpuContext ctx, Model tail, Tensor features, string consumerName, int repeats)
    {
        int node = Enumerable.Range(0, tail.NodeCount).First(i => tail.NodeAt(i).Layer?.Name == consumerName);
        Layer consumer = tail.NodeAt(node).Layer!;
        var activation = (ActivationLayer)tail.NodeAt(tail.NodeAt(node).Inputs[0]).Layer!;
        TensorShape[] shapes = tail.InferShapes(features.Shape[0]);
        TensorShape inShape = shapes[tail.NodeAt(node).Inputs[0]], outShape = shapes[node];
        using Tensor z = RandomTensor(ctx, inShape, 3);
        using var a = new Tensor(ctx, inShape);
        using Tensor gradOutput = RandomTensor(ctx, outShape, 4);
        using var dx = new Tensor(ctx, inShape);
        using var dz = new Tensor(ctx, inShape);
        Activation.Forward(z, a, activation.Options, training: true);
        Assert.True(ActivationDerivativeMask.TryFor(activation.Options, out ActivationDerivativeMask mask));
        var ms = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        for (int step = 0; step < repeats + 3; step++)
            foreach (bool fuse in step % 2 == 0 ? new[] { false, true } : [true, false])
            {
                ctx.Finish();
                long start = Stopwatch.GetTimestamp();
                switch (consumer, fuse)
                {
                    case (Conv2dLayer conv, true): Conv2d.BackwardInputThroughActivation(gradOutput, conv.Weight.Value, dz, conv.Options, a, mask); break;
                    case (Conv2dLayer conv, false): Conv2d.BackwardInput(gradOutput, conv.Weight.Value, dx, conv.Options); break;
                    case (_, true): GlobalPool.AverageBackwardThroughActivation(gradOutput, dz, a, mask); break;
                    default: GlobalPool.AverageBackward(gradOutput, dx); break;
                }
                if (!fuse) Activation.Backward(z, a, dx, dz, activation.Options, training: true);
                ctx.Finish();
                if (step >= 3) ms[fuse].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        output.WriteLine($"{consumerName} dx {inShape} + {activation.Name}: unfused {Summary(ms[false])}; fused {Summary(ms[true])}");
    }

    /// <summary>
    /// The tail's forward + backward at the bench's batch 16, fusion on and off interleaved (3 warm-up
    /// pairs, 21 timed), median ms and dispatches per step; then each fused pair alone. Runs only with <see cref="TimingVariable"/>=1:
    /// <c>VISIONPLUGIN_TIMING=1 dotnet test tests/VisionPlugin.Tests --filter "FullyQualifiedName~Tail_forward_backward_timing" --logger "console;verbosity=detailed"</c>.
    /// </summary>
    [Fact]
    public void Tail_forward_backward_timing_fused_vs_unfused()
    {
        if (Environment.GetEnvironmentVariable(TimingVariable) != "1")
        {
            output.WriteLine($"set {TimingVariable}=1 to measure");
            return;
        }
        const int batch = 16, warmup = 3, repeats = 21;
        gpu.Run(ctx =>
        {
            using Tensor input = RandomTensor(ctx, new TensorShape(batch, 3, 224, 224), 1);
            var (features, tail, owned) = BuildTail(ctx, input);
            try
            {
                using Tensor gradLogits = RandomTensor(ctx, tail.InferShapes(batch)[tail.Outputs[0]], 2);
                var ms = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
                var backwardMs = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
                var dispatches = new Dictionary<bool, long>();
                for (int step = 0; step < warmup + repeats; step++)
                    foreach (bool fuse in step % 2 == 0 ? new[] { false, true } : [true, false])
                    {
                        tail.FuseActivationBackward = fuse;
                        ctx.Finish();
                        long start = Stopwatch.GetTimestamp(), dispatchStart = ctx.DispatchCount;
                        tail.Forward(features, training: true);
                        ctx.Finish();
                        long forwardEnd = Stopwatch.GetTimestamp();
                        tail.Backward(gradLogits);
                        ctx.Finish();
                        if (step < warmup) continue;
                        ms[fuse].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        backwardMs[fuse].Add(Stopwatch.GetElapsedTime(forwardEnd).TotalMilliseconds);
                        dispatches[fuse] = ctx.DispatchCount - dispatchStart;
                    }
                foreach (bool fuse in new[] { false, true })
                    output.WriteLine($"fusion {(fuse ? "on " : "off")}: forward + backward {Summary(ms[fuse])}; backward alone {Summary(backwardMs[fuse])}; " +
                                     $"{dispatches[fuse]} dispatches per forward + backward");
                foreach (var (_, consumer) in ActivationBackwardFusion.Pairs(tail))
                    TimeConsumerBackwardInput(ctx, tail, features, consumer, repeats: 31);
            }
            finally
            {
                foreach (IDisposable d in owned) d.Dispose();
            }
        });
    }
}
