using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.FineTuning;
using VisionPlugin.Tests.Onnx.Export;

namespace VisionPlugin.Tests.FineTuning;

/// <summary>A session on disk: samples persisted as they arrive, a checkpoint per epoch, reopened and exported.</summary>
[Collection("Gpu")]
public sealed class FineTunePersistenceTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-session-").FullName;

    [Fact]
    public void A_reopened_session_has_every_sample_the_checkpointed_weights_and_continues()
    {
        string session = Path.Combine(_folder, "session");
        Frame probe = FineTuneSessionTests.Pattern(1, 4242);
        float[] before = [];
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using var s = FineTuneSession.Create(runtime, ["stripes", "checks"],
                new FineTuneOptions { Epochs = 4, BatchSize = 8, Seed = 2, SessionFolder = session, LearningRate = 3e-3f });
            for (int i = 0; i < 8; i++)
                for (int c = 0; c < 2; c++) s.AddSample(FineTuneSessionTests.Pattern(c, 50 * c + i), c);
            Assert.Equal(16, Directory.GetFiles(Path.Combine(session, "samples"), "*.png", SearchOption.AllDirectories).Length);
            while (s.History.Count < 2) s.Step(TimeSpan.Zero); // one unit at a time; "killed" right after epoch 2
            using Classifier classifier = s.ToClassifier();
            before = classifier.Classify(probe, 2).OrderBy(p => p.ClassIndex).Select(p => p.Probability).ToArray();
        });

        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using FineTuneSession s = FineTuneSession.Open(runtime, session);
            Assert.Equal(["stripes", "checks"], s.Classes);
            Assert.Equal([8, 8], s.SampleCounts);
            Assert.Empty(s.SkippedSamples);
            Assert.Equal(2, s.History.Count);
            using (Classifier classifier = s.ToClassifier())
            {
                float[] after = classifier.Classify(probe, 2).OrderBy(p => p.ClassIndex).Select(p => p.Probability).ToArray();
                Assert.Equal(before, after);
            }
            s.Train();
            Assert.Equal(4, s.History.Count);
            Assert.True(s.IsFinished);
        });

        // The session folder is also a classifier file: its checkpoint (now after epoch 4) with its labels.
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using Classifier fromFolder = ClassifierFiles.Load(runtime, session);
            Assert.Equal(["stripes", "checks"], fromFolder.Labels);
            Assert.Equal("checks", fromFolder.Classify(probe, 1)[0].Label);
        });
    }

    [Fact]
    public void Exported_classifier_runs_in_onnx_runtime_with_the_same_outputs()
    {
        string model = Path.Combine(_folder, "classifier.onnx");
        float[] input = new float[3 * 224 * 224];
        var random = new Random(5);
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.NextDouble();
        float[] ours = gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using var s = FineTuneSession.Create(runtime, ["a", "b", "c"], new FineTuneOptions { Epochs = 1, Seed = 3 });
            for (int c = 0; c < 3; c++) s.AddSample(FineTuneSessionTests.Pattern(c, c), c);
            s.ExportOnnx(model);
            using var x = Tensor.FromData(ctx, new TensorShape(1, 3, 224, 224), input);
            return s.Network.Forward(x, training: false).ToArray();
        });
        // Loaded back as a classifier (labels from the doc string), the file classifies like the session did.
        gpu.Run(ctx =>
        {
            using var runtime = VisionRuntime.Wrap(ctx);
            using Classifier loaded = ClassifierFiles.Load(runtime, model);
            Assert.Equal(["a", "b", "c"], loaded.Labels);
            using var x = Tensor.FromData(ctx, new TensorShape(1, 3, 224, 224), input);
            var top = loaded.ClassifyTensor(x, 3)[0];
            double[] softmax = [.. ours.Select(v => Math.Exp(v - ours.Max()))];
            int best = Array.IndexOf(ours, ours.Max());
            Assert.Equal(best, top[0].ClassIndex);
            Assert.Equal(softmax[best] / softmax.Sum(), top[0].Probability, 4);
        });
        OrtPeer.EnsureInstalled();
        var outputs = OrtPeer.Run(model, [(input, [1, 3, 224, 224])], _folder);
        float[] theirs = outputs[0].Values;
        Assert.Equal(ours.Length, theirs.Length);
        for (int i = 0; i < ours.Length; i++) Assert.True(Math.Abs(ours[i] - theirs[i]) < 1e-4, $"logit {i}: engine {ours[i]}, ONNX Runtime {theirs[i]}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
