using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Losses;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.FineTuning;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// One last-blocks fine-tuning step, batch 16, built the way <see cref="FineTuneSession"/> builds it in
/// <see cref="FineTuneMode.LastBlocks"/> with <c>TrainableBlocks = 2</c>: the pretrained MobileNetV2 trunk + a 10-class
/// linear head, cut at the end of block 15 (<see cref="BackboneBlocks"/> counts block 16 and the final 1x1 conv
/// <c>Conv_1</c> as the last two blocks); the front runs in inference mode, the tail forward and backward
/// (BatchNorm frozen, as the session keeps it), softmax cross-entropy, Adam with L2 1e-4, guarded on the GPU against a
/// NaN/Inf loss or gradient as the session's steps are — nothing is read back inside the step (each step's loss is
/// copied on the GPU into a history read once at the end; the count of read-backs is reported). The session itself caches
/// the front's activations once per sample; this step runs the front every time so the figure covers a full step.
/// Verification: the loss stays finite and falls on the fixed batch. Peer: PyTorch doing the same step.
/// </summary>
internal sealed class FineTuneSection : IBenchSection
{
    private const int BatchSize = 16, ClassCount = 10, TrainableBlocks = 2;

    public string Name => "finetune";
    public string Title => $"Fine-tuning step, last {TrainableBlocks} blocks + head, batch {BatchSize}";

    public SectionResult Run(BenchRun run)
    {
        GpuContext context = run.Context;
        BenchSettings s = run.Settings;
        using Model trunk = PretrainedZoo.MobileNetV2Trunk(context);
        using var head = new LinearLayer(context, "bench_head", trunk.InferShapes()[trunk.Outputs[0]][1], ClassCount,
            weightInit: Initializer.XavierUniform(), random: new Random(0));
        using Model network = BackboneBlocks.WithHead(trunk, head, "bench-finetune");
        IReadOnlyList<int> ends = BackboneBlocks.Ends(trunk);
        int cut = ends[ends.Count - 1 - TrainableBlocks];
        using Model frozenFront = ModelSlicing.Front(network, cut);
        using Model front = InferenceGraphOptimizer.Optimize(frozenFront); // as the session caches it: BatchNorm folded, fused epilogues
        using Model tail = ModelSlicing.Tail(network, cut);
        network.SetFrozen(true);
        foreach (Layer layer in tail.Layers)
            if (layer is not BatchNormLayer) layer.Frozen = false;
        using Optimizer adam = OptimizerFactory.Create("adam", tail.Parameters.Where(p => p.Trainable).ToList(), 1e-3f, Regularization.L2Penalty(1e-4f));

        var random = new Random(1);
        using Tensor input = Tensor.FromData(context, new TensorShape(BatchSize, 3, 224, 224),
            Enumerable.Range(0, BatchSize * 3 * 224 * 224).Select(_ => (float)random.NextDouble()).ToArray());
        using var labels = new ClassLabels(context, Enumerable.Range(0, BatchSize).Select(i => i % ClassCount).ToArray());
        var loss = new SoftmaxCrossEntropyLoss();
        Tensor? grad = null;
        var frontMs = new List<double>();
        var tailMs = new List<double>();
        int warmup = Math.Max(1, s.Warmup - 1), steps = 0;
        using var stepLoss = new Tensor(context, new TensorShape(1));
        using var lossHistory = new GpuBuffer(context, warmup + s.FineTuneSteps);
        long readbacksBefore = context.ReadbackCount;
        void Step()
        {
            long start = Stopwatch.GetTimestamp();
            Tensor features = front.Forward(input, training: false);
            context.Finish();
            long middle = Stopwatch.GetTimestamp();
            Tensor logits = tail.Forward(features, training: true);
            loss.Forward(logits, labels, stepLoss);
            grad ??= new Tensor(context, logits.Shape);
            loss.Backward(logits, labels, grad);
            tail.Backward(grad);
            adam.GuardedStep(stepLoss);
            lossHistory.CopyFrom(stepLoss.Buffer, 1, 0, steps++);
            context.Finish();
            frontMs.Add(Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds);
            tailMs.Add(Stopwatch.GetElapsedTime(middle).TotalMilliseconds);
        }
        TimingStats step;
        try
        {
            step = TimingStats.Measure(Step, warmup, s.FineTuneSteps);
        }
        finally
        {
            grad?.Dispose();
        }
        long readbacksInSteps = context.ReadbackCount - readbacksBefore;
        float[] losses = new float[steps];
        lossHistory.Download<float>(losses);
        TimingStats frontStats = TimingStats.FromSamples(frontMs[warmup..]), tailStats = TimingStats.FromSamples(tailMs[warmup..]);
        long trainable = tail.Parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.ElementCount);
        var details = new JsonObject
        {
            ["cut_after_layer"] = network.NodeAt(cut).Layer!.Name, ["trainable_parameters"] = trainable,
            ["step"] = step.ToJson(), ["front"] = frontStats.ToJson(), ["tail"] = tailStats.ToJson(),
            ["loss_first"] = losses[0], ["loss_last"] = losses[^1], ["readbacks_in_steps"] = readbacksInSteps,
        };
        string? failure = readbacksInSteps != 0 ? $"{readbacksInSteps} buffer read-backs during {steps} steps; a step must read nothing back"
            : losses.All(float.IsFinite) ? losses.Length >= 3 && !(losses[^1] < losses[0])
                ? $"the loss did not fall on a fixed batch ({losses[0]:F4} -> {losses[^1]:F4}): backward or the optimizer is broken"
                : null
            : "the loss became non-finite";
        details["verification"] = new JsonObject { ["check"] = "loss finite and falling on a fixed batch", ["passed"] = failure is null };
        if (failure is not null) return new SectionResult(Name, Title, [], details, failure);
        var (fusedBackward, unfusedBackward) = MeasureActivationFusion(context, front, tail, input, Math.Max(3, s.FineTuneSteps));
        details["activation_backward_fusion"] = new JsonObject
        {
            ["fused_pairs"] = new JsonArray(ActivationBackwardFusion.Pairs(tail).Select(p => (JsonNode)$"{p.Activation} -> {p.Consumer}").ToArray()),
            ["fused"] = fusedBackward.Stats.ToJson(), ["fused_dispatches"] = fusedBackward.Dispatches,
            ["unfused"] = unfusedBackward.Stats.ToJson(), ["unfused_dispatches"] = unfusedBackward.Dispatches,
        };

        PeerRun torch = run.Peers.Torch("torch_bench.py", "finetune", "--batch", BatchSize.ToString(), "--classes", ClassCount.ToString(),
            "--blocks", TrainableBlocks.ToString(), "--warmup", warmup.ToString(), "--repeats", s.FineTuneSteps.ToString());
        details["pytorch"] = torch.Result?.DeepClone();
        PeerFigure Torch(Func<JsonObject, double> pick) =>
            torch.Result is JsonObject r ? PeerFigure.Of(PeerRunner.PyTorch, pick(r)) : PeerFigure.Missing(PeerRunner.PyTorch, torch.Unavailable!);
        BenchFigure[] figures =
        [
            new("step (front + tail + Adam)", "ms", false, step.MedianMs, [Torch(r => TimingStats.FromJson(r["step"]!).MedianMs)], step.Spread),
            new("images/s", "images/s", true, BatchSize * 1e3 / step.MedianMs, [Torch(r => r["images_per_second"]!.GetValue<double>())]),
            new("frozen front forward", "ms", false, frontStats.MedianMs, [Torch(r => r["front_median_ms"]!.GetValue<double>())]),
            new("tail forward + backward + Adam", "ms", false, tailStats.MedianMs, [Torch(r => r["tail_median_ms"]!.GetValue<double>())],
                $"{trainable:N0} trainable parameters"),
            new("tail backward, activation derivatives fused", "ms", false, fusedBackward.Stats.MedianMs, [],
                $"{fusedBackward.Dispatches} dispatches; {unfusedBackward.Dispatches} and {unfusedBackward.Stats.MedianMs:F1} ms unfused (interleaved)"),
        ];
        return new SectionResult(Name, Title, figures, details);
    }

    /// <summary>
    /// The tail's backward with the activation derivatives fused into the consumers' backward-input kernels
    /// (<see cref="ActivationBackwardFusion"/>, the default) and unfused, interleaved so both see the same machine load.
    /// </summary>
    private static ((TimingStats Stats, long Dispatches) Fused, (TimingStats Stats, long Dispatches) Unfused) MeasureActivationFusion(
        GpuContext context, Model front, Model tail, Tensor input, int repeats)
    {
        Tensor features = front.Forward(input, training: false);
        TensorShape logits = tail.Forward(features, training: true).Shape;
        var random = new Random(2);
        using Tensor gradLogits = Tensor.FromData(context, logits, Enumerable.Range(0, logits.ElementCount).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        bool configured = tail.FuseActivationBackward;
        var ms = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        var dispatches = new Dictionary<bool, long>();
        try
        {
            for (int i = 0; i < repeats + 1; i++)
                foreach (bool fuse in i % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    tail.FuseActivationBackward = fuse;
                    tail.Forward(features, training: true);
                    context.Finish();
                    long start = Stopwatch.GetTimestamp(), firstDispatch = context.DispatchCount;
                    tail.Backward(gradLogits);
                    context.Finish();
                    dispatches[fuse] = context.DispatchCount - firstDispatch;
                    if (i > 0) ms[fuse].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
        }
        finally
        {
            tail.FuseActivationBackward = configured;
            tail.ZeroGradients();
        }
        return ((TimingStats.FromSamples(ms[true]), dispatches[true]), (TimingStats.FromSamples(ms[false]), dispatches[false]));
    }
}
