using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Training;
using VisionPlugin.FineTuning;
using VisionPlugin.Tests.FineTuning;

namespace VisionPlugin.Tests.Training;

/// <summary>
/// Steady-state training steps allocate no GPU buffers: after the first epoch (which creates activations, gradients,
/// optimizer state, scratch and batch tensors), <see cref="GpuContext.LiveBufferCount"/> and
/// <see cref="GpuContext.LiveBufferBytes"/> stay exactly flat for 20 more steps.
/// </summary>
[Collection("Gpu")]
public sealed class SteadyStateBufferTests(GpuFixture gpu)
{
    [Fact]
    public void Classifier_trainer_steps_allocate_no_buffers_after_the_first_epoch()
    {
        gpu.Run(ctx =>
        {
            const int batch = 8, stepsPerEpoch = 4, epochs = 6;
            var random = new Random(3);
            int count = batch * stepsPerEpoch;
            var data = new LabeledImages(
                Enumerable.Range(0, count * 28 * 28).Select(_ => (float)random.NextDouble()).ToArray(),
                Enumerable.Range(0, count).Select(i => i % 10).ToArray(), new TensorShape(1, 28, 28),
                Enumerable.Range(0, 10).Select(i => $"class{i}").ToArray());
            using Model model = ClassifierTrainerTests.SmallNet(ctx);
            using var optimizer = new Adam(model.Parameters, new AdamOptions { LearningRate = 1e-3f });
            using var trainer = new ClassifierTrainer(model, optimizer, new FitOptions { Epochs = epochs, BatchSize = batch, Seed = 0 });
            var live = new List<(int Epoch, int Step, long Count, long Bytes)>();
            trainer.StepCompleted += r => live.Add((r.Epoch, r.Step, ctx.LiveBufferCount, ctx.LiveBufferBytes));
            trainer.Fit(data);
            AssertFlatAfterFirstEpoch("ClassifierTrainer (small conv net, Adam)", live, expectedSteadySteps: (epochs - 1) * stepsPerEpoch);
        });
    }

    [Fact]
    public void Fine_tune_last_blocks_steps_allocate_no_buffers_after_the_first_epoch()
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            // 12 samples per class, a quarter held out: 27 training samples, batch 8 -> 4 steps per epoch (the last of 3).
            const int epochs = 6;
            using var session = FineTuneSession.Create(runtime, ["stripes", "checks", "blob"],
                new FineTuneOptions { Mode = FineTuneMode.LastBlocks, Epochs = epochs, BatchSize = 8, Seed = 1, ValidationSplit = 0.25, LearningRate = 3e-3f });
            for (int i = 0; i < 12; i++)
                for (int c = 0; c < 3; c++) session.AddSample(FineTuneSessionTests.Pattern(c, 100 * c + i, size: 48), c);
            var live = new List<(int Epoch, int Step, long Count, long Bytes)>();
            session.ProgressChanged += p =>
            {
                if (p.Phase == FineTunePhase.Training) live.Add((p.Epoch, p.Step, ctx.LiveBufferCount, ctx.LiveBufferBytes));
            };
            session.Train();
            int stepsPerEpoch = live.Count(s => s.Epoch == 1);
            Assert.True(stepsPerEpoch >= 4, $"expected at least 4 training steps per epoch; saw {stepsPerEpoch}");
            AssertFlatAfterFirstEpoch("FineTuneSession last blocks", live, expectedSteadySteps: (epochs - 1) * stepsPerEpoch);
        });
    }

    private static void AssertFlatAfterFirstEpoch(string what, List<(int Epoch, int Step, long Count, long Bytes)> live, int expectedSteadySteps)
    {
        var steady = live.Where(s => s.Epoch >= 2).ToList();
        Assert.True(steady.Count >= 20 && steady.Count == expectedSteadySteps,
            $"{what}: expected {expectedSteadySteps} (>= 20) steps after the first epoch; saw {steady.Count}");
        var (_, _, count0, bytes0) = steady[0];
        foreach (var (epoch, step, count, bytes) in steady)
            Assert.True(count == count0 && bytes == bytes0,
                $"{what}: epoch {epoch} step {step} has {count} live GPU buffers ({bytes} bytes); the first steady step had {count0} ({bytes0} bytes)");
    }
}
