using System.Text.Json.Nodes;
using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.Tests.Plugin;

/// <summary>A `train` checkpoint (zoo architecture + labels in its metadata) loads as a grey-input classifier.</summary>
[Collection("Gpu")]
public sealed class ClassifierFileTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-clsfile-").FullName;

    [Fact]
    public void A_train_checkpoint_classifies_grey_frames_exactly_like_the_network()
    {
        LabeledImages test = FashionMnist.Load(train: false).Take(8);
        string path = Path.Combine(_folder, "lenet.ckpt");
        gpu.Run(ctx =>
        {
            using Model model = ModelZoo.Build(ctx, "lenet5", 10, test.SampleShape, seed: 4);
            TrainingCheckpoint.Save(path, model, null, 1, new JsonObject
            {
                ["arch"] = "lenet5", ["input"] = new JsonArray(1, 28, 28),
                ["labels"] = new JsonArray(FashionMnist.ClassNames.Select(l => (JsonNode)l).ToArray()),
            });
            using var x = Tensor.FromData(ctx, new TensorShape(8, 1, 28, 28), test.Pixels);
            float[] logits = model.Forward(x, training: false).ToArray();

            using var runtime = VisionRuntime.Wrap(ctx);
            using Classifier classifier = ClassifierFiles.Load(runtime, path);
            Assert.Equal(FashionMnist.ClassNames, classifier.Labels);
            for (int i = 0; i < 8; i++)
            {
                // The image as an 8-bit grey frame: preprocessing must give back the same [0,1] pixels.
                byte[] grey = test.Sample(i).ToArray().Select(v => (byte)Math.Round(v * 255)).ToArray();
                Prediction top = classifier.Classify(Frame.Packed(grey, 28, 28, PixelFormat.Gray8), 1)[0];
                int expected = Array.IndexOf(logits, logits.Skip(i * 10).Take(10).Max(), i * 10) - i * 10;
                Assert.Equal(expected, top.ClassIndex);
            }
        });
    }

    [Fact]
    public void A_checkpoint_without_an_architecture_is_refused_clearly()
    {
        string path = Path.Combine(_folder, "bare.ckpt");
        gpu.Run(ctx =>
        {
            using Model model = ModelZoo.Build(ctx, "lenet5", 10, new TensorShape(1, 28, 28));
            TrainingCheckpoint.Save(path, model, null, 1);
            using var runtime = VisionRuntime.Wrap(ctx);
            var e = Assert.Throws<InvalidDataException>(() => ClassifierFiles.Load(runtime, path));
            Assert.Contains("architecture", e.Message);
        });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
