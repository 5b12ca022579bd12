using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.FineTuning;

namespace VisionPlugin.Tests.FineTuning;

/// <summary>Fine-tuning the pretrained MobileNetV2 on small synthetic classes: head-only and last-blocks modes learn them.</summary>
[Collection("Gpu")]
public sealed class FineTuneSessionTests(GpuFixture gpu)
{
    /// <summary>Stripes (class 0), checkerboard (class 1) or a smooth blob (class 2) in random colours and sizes.</summary>
    internal static Frame Pattern(int cls, int seed, int size = 96)
    {
        var random = new Random(seed);
        var px = new byte[size * size * 3];
        int period = 6 + random.Next(10);
        byte[] fg = [(byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)];
        byte[] bg = [(byte)(255 - fg[0]), (byte)(255 - fg[1]), (byte)(255 - fg[2])];
        double cx = size * (0.3 + 0.4 * random.NextDouble()), cy = size * (0.3 + 0.4 * random.NextDouble()), radius = size * (0.15 + 0.2 * random.NextDouble());
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            bool on = cls switch
            {
                0 => (x / period) % 2 == 0,
                1 => ((x / period) + (y / period)) % 2 == 0,
                _ => (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius,
            };
            byte[] c = on ? fg : bg;
            int o = (y * size + x) * 3;
            for (int k = 0; k < 3; k++) px[o + k] = (byte)Math.Clamp(c[k] + random.Next(-20, 21), 0, 255);
        }
        return Frame.Packed(px, size, size, PixelFormat.Rgb24);
    }

    private static FineTuneSession NewSession(VisionRuntime runtime, FineTuneMode mode, int epochs, int augmentedCopies = 0)
    {
        var session = FineTuneSession.Create(runtime, ["stripes", "checks", "blob"],
            new FineTuneOptions { Mode = mode, Epochs = epochs, BatchSize = 8, Seed = 1, ValidationSplit = 0.25, LearningRate = 3e-3f, AugmentedCopies = augmentedCopies });
        for (int i = 0; i < 12; i++)
            for (int c = 0; c < 3; c++) session.AddSample(Pattern(c, 100 * c + i), c);
        return session;
    }

    [Theory]
    [InlineData(FineTuneMode.Head, 12, 0)]
    [InlineData(FineTuneMode.LastBlocks, 6, 1)]
    public void Learns_new_classes_from_a_few_samples(FineTuneMode mode, int epochs, int augmentedCopies)
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using FineTuneSession session = NewSession(runtime, mode, epochs, augmentedCopies);
            var progress = new List<FineTuneProgress>();
            session.ProgressChanged += progress.Add;
            var epochsSeen = new List<FineTuneEpoch>();
            session.EpochCompleted += epochsSeen.Add;
            IReadOnlyList<FineTuneEpoch> history = session.Train();
            Assert.Equal(epochs, history.Count);
            Assert.Equal(history, epochsSeen);
            // 27 training + 9 validation samples, plus one augmented variant of each training sample.
            Assert.Equal(36 + 27 * augmentedCopies, progress[^1].SamplesToCache);
            Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"{mode}: loss {history[0].TrainLoss:F3} -> {history[^1].TrainLoss:F3}");
            Assert.True(history[^1].ValidationAccuracy >= 0.75, $"{mode}: validation accuracy {history[^1].ValidationAccuracy:P0}");
            using Classifier classifier = session.ToClassifier();
            Assert.Equal("blob", classifier.Classify(Pattern(2, 9999))[0].Label);
        });
    }

    [Fact]
    public void Cross_validation_caches_once_and_scores_every_sample_in_exactly_one_fold()
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using FineTuneSession session = NewSession(runtime, FineTuneMode.Head, epochs: 8);
            int cachingReports = 0;
            session.ProgressChanged += p => { if (p.Phase == FineTunePhase.Caching) cachingReports++; };
            IReadOnlyList<FoldResult> folds = session.CrossValidate(3);
            Assert.Equal(3, folds.Count);
            Assert.Equal(36, folds.Sum(f => f.ValidationCount));
            Assert.All(folds, f => Assert.Equal(12, f.ValidationCount)); // stratified: 4 of each class per fold
            Assert.Equal(5, cachingReports); // 36 samples in batches of 8, once for all folds
            Assert.True(folds.Average(f => f.ValidationAccuracy) >= 0.75, string.Join(", ", folds.Select(f => f.ValidationAccuracy.ToString("P0"))));
        });
    }

    [Fact]
    public void Optimizer_steps_read_nothing_back_and_figures_arrive_at_the_end_of_each_epoch()
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using var session = FineTuneSession.Create(runtime, ["stripes", "checks", "blob"],
                new FineTuneOptions { Epochs = 2, BatchSize = 8, Seed = 1, ValidationSplit = 0.25, LearningRate = 3e-3f, ProgressInterval = TimeSpan.FromHours(1) });
            for (int i = 0; i < 12; i++)
                for (int c = 0; c < 3; c++) session.AddSample(Pattern(c, 100 * c + i), c);
            var reports = new List<(FineTuneProgress Progress, long Readbacks)>();
            session.ProgressChanged += p => { if (p.Phase == FineTunePhase.Training) reports.Add((p, ctx.ReadbackCount)); };
            IReadOnlyList<FineTuneEpoch> history = session.Train();

            Assert.Equal(8, reports.Count); // 2 epochs x ceil(27 / 8) steps
            for (int r = 1; r < reports.Count; r++)
            {
                var (p, readbacks) = reports[r];
                Assert.Equal(p.Step == p.StepsPerEpoch, !double.IsNaN(p.Loss)); // figures are read at the epoch's end only
                if (p.Step > 1 && p.Step < p.StepsPerEpoch)
                    Assert.True(readbacks == reports[r - 1].Readbacks, $"epoch {p.Epoch} step {p.Step} read {readbacks - reports[r - 1].Readbacks} buffers back");
            }
            Assert.All(history, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainAccuracy > 0 && e.RejectedSteps == 0, e.ToString()));
            Assert.Equal(history[^1].TrainLoss, reports[^1].Progress.Loss);
        });
    }

    [Fact]
    public void Step_does_bounded_work_and_pause_stops_it()
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using FineTuneSession session = NewSession(runtime, FineTuneMode.Head, 3);
            // A zero budget is one unit of work: one layer of a front pass over one sample (the cost is not known
            // yet), so the first pass is spread over many calls before the first sample is cached.
            int calls = 0;
            FineTuneProgress first;
            do { first = session.Step(TimeSpan.Zero); calls++; } while (first.Phase != FineTunePhase.Caching);
            Assert.True(calls > 5, $"the first front pass took {calls} zero-budget calls; expected one layer per call");
            Assert.Equal(1, first.CachedSamples);
            Assert.Equal(36, first.SamplesToCache);
            session.Pause();
            Assert.Same(first, session.Step(TimeSpan.FromSeconds(10)));
            session.Resume();
            while (session.Progress.Phase != FineTunePhase.Training) session.Step(TimeSpan.Zero);
            Assert.Equal(1, session.Progress.Step);
            Assert.True(session.Progress.StepsPerEpoch > 1);
        });
    }

    [Fact]
    public void A_class_without_samples_is_refused_with_its_name()
    {
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using var session = FineTuneSession.Create(runtime, ["cats", "dogs"]);
            session.AddSample(Pattern(0, 1), 0);
            var e = Assert.Throws<InvalidOperationException>(() => session.Step(TimeSpan.Zero));
            Assert.Contains("'dogs' has no samples", e.Message);
        });
    }
}
