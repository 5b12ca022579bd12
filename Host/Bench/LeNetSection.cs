using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// LeNet-5 training on Fashion-MNIST (Debian <c>dataset-fashion-mnist</c>) with <see cref="ClassifierTrainer"/>, the
/// <c>train</c> command's recipe (Adam 1e-3, batch 64, shuffled): images/s of one epoch over the first
/// <see cref="BenchSettings.LeNetImages"/> training images, after a warm-up epoch of two batches (shader JIT).
/// Verification: the epoch's training loss is finite and below the untrained ln 10. Peer:
/// <c>lenet5_pytorch.py --images N --no-test</c>, the same recipe in PyTorch.
/// </summary>
internal sealed class LeNetSection : IBenchSection
{
    private const int BatchSize = 64;

    public string Name => "lenet";
    public string Title => "LeNet-5 Fashion-MNIST training (one epoch)";

    public SectionResult Run(BenchRun run)
    {
        int images = run.Settings.LeNetImages;
        LabeledImages train = FashionMnist.Load(train: true).Take(images);
        using Model model = ModelZoo.Build(run.Context, "lenet5", train.ClassCount, train.SampleShape, 0);
        using Optimizer adam = OptimizerFactory.Create("adam", model.Parameters, 1e-3f);
        using (var warmup = new ClassifierTrainer(model, adam, new FitOptions { Epochs = 1, BatchSize = BatchSize }))
            warmup.Fit(train.Take(2 * BatchSize));
        using var trainer = new ClassifierTrainer(model, adam, new FitOptions { Epochs = 1, BatchSize = BatchSize, Seed = 0 });
        EpochReport epoch = trainer.Fit(train).Last;

        var details = new JsonObject
        {
            ["images"] = train.Count, ["batch"] = BatchSize, ["seconds"] = epoch.Seconds, ["train_loss"] = epoch.TrainLoss,
            ["rejected_steps"] = epoch.RejectedSteps,
        };
        string? failure = double.IsFinite(epoch.TrainLoss) && epoch.TrainLoss < Math.Log(train.ClassCount) ? null
            : $"training loss {epoch.TrainLoss:F4} after one epoch is not below ln {train.ClassCount} = {Math.Log(train.ClassCount):F4}";
        details["verification"] = new JsonObject { ["check"] = "epoch loss finite and below ln(classes)", ["passed"] = failure is null };
        if (failure is not null) return new SectionResult(Name, Title, [], details, failure);

        PeerRun torch = run.Peers.Torch("lenet5_pytorch.py", "--epochs", "1", "--images", images.ToString(), "--no-test", "--json");
        details["pytorch"] = torch.Result is JsonObject r ? new JsonObject
        {
            ["images_per_second"] = r["images_per_second"]?.DeepClone(), ["loss"] = r["history"]?[0]?["loss"]?.DeepClone(),
        } : null;
        PeerFigure peer = torch.Result is JsonObject result
            ? PeerFigure.Of(PeerRunner.PyTorch, result["images_per_second"]!.GetValue<double>())
            : PeerFigure.Missing(PeerRunner.PyTorch, torch.Unavailable!);
        return new SectionResult(Name, Title,
            [new BenchFigure($"training images/s ({train.Count:N0} images, batch {BatchSize})", "images/s", true, epoch.ImagesPerSecond, [peer],
                $"loss {epoch.TrainLoss:F3} after the epoch")],
            details);
    }
}
