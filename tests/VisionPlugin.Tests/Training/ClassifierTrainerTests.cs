using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Training;

namespace VisionPlugin.Tests.Training;

/// <summary>Real training on a Fashion-MNIST subset: the net learns, bad steps are rejected, checkpoints resume exactly.</summary>
[Collection("Gpu")]
public sealed class ClassifierTrainerTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-trainer-").FullName;
    private static readonly Lazy<LabeledImages> Train = new(() => FashionMnist.Load(train: true).Take(3000));
    private static readonly Lazy<LabeledImages> Test = new(() => FashionMnist.Load(train: false).Take(1000));

    /// <summary>conv 5x5 1->8, ReLU, max-pool 2, conv 3x3 8->16, ReLU, max-pool 2, FC 400->10 (small enough for CI).</summary>
    internal static Model SmallNet(GpuContext ctx, int seed = 1)
    {
        var random = new Random(seed);
        var model = new Model(ctx, "small-net", new TensorShape(1, 28, 28));
        model.Add(new Conv2dLayer(ctx, "conv1", 1, 8, 5, 5, Conv2dOptions.Create(padding: 2), random: random));
        model.Add(new ActivationLayer("relu1", ActivationOptions.Relu()));
        model.Add(new MaxPool2dLayer("pool1", Pool2dOptions.Create(2)));
        model.Add(new Conv2dLayer(ctx, "conv2", 8, 16, 3, 3, random: random));
        model.Add(new ActivationLayer("relu2", ActivationOptions.Relu()));
        model.Add(new MaxPool2dLayer("pool2", Pool2dOptions.Create(2)));
        model.Add(new FlattenLayer("flatten"));
        model.Add(new LinearLayer(ctx, "fc", 16 * 6 * 6, 10, random: random));
        return model;
    }

    [Fact]
    public void Small_net_learns_fashion_mnist_subset_on_the_gpu()
    {
        gpu.Run(ctx =>
        {
            using Model model = SmallNet(ctx);
            using var optimizer = new Adam(model.Parameters, new AdamOptions { LearningRate = 2e-3f });
            using var trainer = new ClassifierTrainer(model, optimizer, new FitOptions { Epochs = 2, BatchSize = 32, Seed = 3 });
            var steps = new List<StepReport>();
            trainer.StepCompleted += steps.Add;
            double before = trainer.Evaluate(Test.Value).Loss;
            FitResult result = trainer.Fit(Train.Value);
            Evaluation after = trainer.Evaluate(Test.Value);

            Assert.Equal(2, result.History.Count);
            Assert.Equal(0, result.RejectedSteps);
            Assert.True(result.History[1].TrainLoss < result.History[0].TrainLoss, $"train loss {result.History[0].TrainLoss} -> {result.History[1].TrainLoss}");
            Assert.True(after.Loss < 0.6 * before, $"test loss {before:F3} -> {after.Loss:F3}");
            Assert.True(after.Accuracy > 0.65, $"test accuracy {after.Accuracy:P1} (chance is 10 %)");
            Assert.Equal(2 * 94, steps.Count); // ceil(3000 / 32) steps per epoch
            Assert.Equal(1000, Enumerable.Range(0, 10).Sum(i => Enumerable.Range(0, 10).Sum(j => after.Confusion[i, j])));
        });
    }

    [Fact]
    public void Non_finite_loss_rejects_the_step_leaves_weights_untouched_and_training_continues()
    {
        gpu.Run(ctx =>
        {
            using Model model = SmallNet(ctx);
            using var optimizer = new Sgd(model.Parameters, new SgdOptions { LearningRate = 0.01f });
            // ProgressInterval zero: the GPU-side figures are read after every step, so each report is current.
            using var trainer = new ClassifierTrainer(model, optimizer, new FitOptions { Epochs = 1, BatchSize = 50, Shuffle = false, ProgressInterval = TimeSpan.Zero });
            var log = new List<string>();
            trainer.Log += log.Add;
            // Two poisoned batches: one NaN pixel in sample 10 (batch 0) and an infinity in sample 120 (batch 2).
            LabeledImages clean = Train.Value.Take(200);
            float[] pixels = (float[])clean.Pixels.Clone();
            pixels[10 * 784 + 400] = float.NaN;
            pixels[120 * 784 + 5] = float.PositiveInfinity;
            var poisoned = new LabeledImages(pixels, clean.Labels, clean.SampleShape, clean.ClassNames);

            float[] weightsBefore = model.Parameters[0].Value.ToArray();
            var rejectedSteps = new List<int>();
            int rejectedSoFar = 0;
            trainer.StepCompleted += s =>
            {
                Assert.Equal(s.Step, s.FiguresThroughStep);
                if (s.RejectedSteps > rejectedSoFar) rejectedSteps.Add(s.Step);
                rejectedSoFar = s.RejectedSteps;
            };
            bool firstStepChecked = false;
            trainer.StepCompleted += s =>
            {
                if (s.Step != 1 || firstStepChecked) return;
                firstStepChecked = true;
                Assert.Equal(weightsBefore, model.Parameters[0].Value.ToArray()); // rejected step: untouched
            };
            FitResult result = trainer.Fit(poisoned);

            Assert.True(firstStepChecked);
            Assert.Equal([1, 3], rejectedSteps);
            Assert.Equal(2, result.RejectedSteps);
            Assert.Equal(2, log.Count);
            Assert.Equal("epoch 1 step 1: non-finite loss or gradient; step rejected, weights unchanged.", log[0]);
            Assert.StartsWith("epoch 1 step 3:", log[1]);
            Assert.True(double.IsFinite(result.Last.TrainLoss));
            Assert.NotEqual(weightsBefore, model.Parameters[0].Value.ToArray()); // the good steps trained
            Assert.All(model.Parameters, p => Assert.All(p.Value.ToArray(), v => Assert.True(float.IsFinite(v), p.Name)));
        });
    }

    [Fact]
    public void Training_steps_read_nothing_back_and_the_epoch_figures_are_read_once()
    {
        gpu.Run(ctx =>
        {
            using Model model = SmallNet(ctx);
            using var optimizer = new Adam(model.Parameters, new AdamOptions { LearningRate = 2e-3f });
            using var trainer = new ClassifierTrainer(model, optimizer, new FitOptions { Epochs = 1, BatchSize = 40, Seed = 2, ProgressInterval = TimeSpan.FromHours(1) });
            var readbacks = new List<long>();
            var reports = new List<StepReport>();
            trainer.StepCompleted += s => { readbacks.Add(ctx.ReadbackCount); reports.Add(s); };
            long before = ctx.ReadbackCount;
            FitResult result = trainer.Fit(Train.Value.Take(600));

            Assert.Equal(15, readbacks.Count);
            long[] perStep = readbacks.Prepend(before).Zip(readbacks, (a, b) => b - a).ToArray();
            Assert.True(perStep[..14].All(n => n == 0), $"read-backs per step: {string.Join(", ", perStep)}");
            Assert.Equal(1, perStep[14]); // the epoch's figures, once, after the last step
            Assert.Equal(before + 1, ctx.ReadbackCount);
            Assert.All(reports[..14], r => { Assert.Equal(0, r.FiguresThroughStep); Assert.True(double.IsNaN(r.Loss)); });
            Assert.Equal(15, reports[14].FiguresThroughStep);
            Assert.True(result.Last.TrainLoss is > 0.3 and < 2.31, $"epoch loss {result.Last.TrainLoss}");
            Assert.True(result.Last.TrainAccuracy is > 0.1 and <= 1, $"epoch accuracy {result.Last.TrainAccuracy}");
        });
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_weights_as_an_uninterrupted_run()
    {
        gpu.Run(ctx =>
        {
            LabeledImages data = Train.Value.Take(600);
            var options = new FitOptions { Epochs = 3, BatchSize = 40, Seed = 9 };
            float[][] Run(Func<ClassifierTrainer, FitResult> fit, Model model, Optimizer optimizer)
            {
                using var trainer = new ClassifierTrainer(model, optimizer, options);
                fit(trainer);
                return model.Parameters.Select(p => p.Value.ToArray()).ToArray();
            }

            // Uninterrupted: 3 epochs, checkpoint after each.
            string checkpoint = Path.Combine(_folder, "run.ckpt");
            float[][] straight;
            using (Model model = SmallNet(ctx))
            using (var optimizer = new Adam(model.Parameters))
                straight = Run(t =>
                {
                    t.Callbacks.Add(new EarlyStopAfter(2, checkpoint)); // saves after epoch 2, then keeps going
                    return t.Fit(data);
                }, model, optimizer);

            // Resumed: a fresh model (different init seed) loads the epoch-2 checkpoint and runs epoch 3.
            float[][] resumed;
            using (Model model = SmallNet(ctx, seed: 77))
            using (var optimizer = new Adam(model.Parameters))
                resumed = Run(t => t.Fit(data, startEpoch: t.LoadCheckpoint(checkpoint)), model, optimizer);

            for (int p = 0; p < straight.Length; p++)
                Assert.Equal(straight[p], resumed[p]);
        });
    }

    [Fact]
    public void Checkpoint_of_another_architecture_is_refused_naming_the_first_mismatched_tensor()
    {
        gpu.Run(ctx =>
        {
            string path = Path.Combine(_folder, "small.ckpt");
            using (Model small = SmallNet(ctx)) TrainingCheckpoint.Save(path, small, null, 1);
            using var other = new Model(ctx, "other", new TensorShape(1, 28, 28));
            other.Add(new Conv2dLayer(ctx, "conv1", 1, 4, 3, 3));
            var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, other, null));
            Assert.Contains("conv1.weight", e.Message);
            Assert.Contains("[8,1,5,5]", e.Message);
            Assert.Contains("[4,1,3,3]", e.Message);
        });
    }

    [Theory]
    [InlineData(0, 32, 0.0)]
    [InlineData(3, 0, 0.0)]
    [InlineData(3, 32, 1.0)]
    [InlineData(3, 32, -0.1)]
    public void Invalid_fit_options_name_the_value(int epochs, int batch, double split)
    {
        gpu.Run(ctx =>
        {
            using Model model = SmallNet(ctx);
            using var optimizer = new Sgd(model.Parameters);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                new ClassifierTrainer(model, optimizer, new FitOptions { Epochs = epochs, BatchSize = batch, ValidationSplit = split }));
            Assert.Contains(epochs < 1 ? "Epochs" : batch < 1 ? "BatchSize" : "ValidationSplit", e.Message);
        });
    }

    /// <summary>Saves a checkpoint after epoch <paramref name="epoch"/> (as a run killed after that epoch would have).</summary>
    private sealed class EarlyStopAfter(int epoch, string path) : ITrainingCallback
    {
        public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
        {
            if (report.Epoch == epoch) trainer.SaveCheckpoint(path, report.Epoch);
            return true;
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
