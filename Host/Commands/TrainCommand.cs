using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Optimizers.Schedules;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>train</c>: trains a model-zoo architecture from scratch on Fashion-MNIST entirely on the GPU,
/// with a progress bar, per-epoch loss/accuracy/images-per-second, a resumable checkpoint after
/// every epoch and a loss/accuracy plot as PNG.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var arch = new Option<string>("--arch") { Description = "Model-zoo architecture (see ModelZoo: lenet5, resnet18, ...).", DefaultValueFactory = _ => "lenet5" };
        var dataset = new Option<string>("--dataset") { Description = "Data set: fashion-mnist (Debian dataset-fashion-mnist).", DefaultValueFactory = _ => "fashion-mnist" };
        dataset.AcceptOnlyFromAmong("fashion-mnist");
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10, Description = "Epochs to train." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Mini-batch size." };
        var optimizer = new Option<string>("--optimizer") { DefaultValueFactory = _ => "adam", Description = "sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw." };
        optimizer.AcceptOnlyFromAmong([.. OptimizerFactory.Names]);
        var lr = new Option<float?>("--lr") { Description = "Learning rate (default: the optimizer's own, e.g. Adam 1e-3)." };
        var weightDecay = new Option<float>("--weight-decay") { DefaultValueFactory = _ => 0f, Description = "L2 penalty on weights (not biases/BN)." };
        var schedule = new Option<string>("--schedule") { DefaultValueFactory = _ => "none", Description = "Learning-rate schedule: none, step (x0.1 every third of the run), cosine, plateau." };
        schedule.AcceptOnlyFromAmong("none", "step", "cosine", "plateau");
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seeds weights, shuffles and dropout." };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N training images (quick runs)." };
        var testLimit = new Option<int?>("--test-limit") { Description = "Evaluate only the first N test images after each epoch (quick runs)." };
        var valSplit = new Option<double>("--val-split") { DefaultValueFactory = _ => 0, Description = "Hold out this fraction of the training set for validation (the test set is always evaluated)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save a resumable checkpoint here after every epoch." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint when it exists." };
        var output = new Option<string?>("--out") { Description = "Folder for the plot, history and final weights (default out/train-<arch>)." };
        var command = new Command("train", "Train a model-zoo architecture from scratch on Fashion-MNIST on the GPU.")
        {
            json, arch, dataset, epochs, batch, optimizer, lr, weightDecay, schedule, seed, limit, testLimit, valSplit, checkpoint, resume, output,
        };
        command.SetAction(parse => CommandSupport.Guard("train", () => Run(new TrainSettings(
            parse.GetValue(arch)!, parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(optimizer)!, parse.GetValue(lr),
            parse.GetValue(weightDecay), parse.GetValue(schedule)!, parse.GetValue(seed), parse.GetValue(limit), parse.GetValue(testLimit), parse.GetValue(valSplit),
            parse.GetValue(checkpoint), parse.GetValue(resume), parse.GetValue(output) ?? Path.Combine("out", "train-" + parse.GetValue(arch)),
            parse.GetValue(json)))));
        return command;
    }

    private sealed record TrainSettings(string Arch, int Epochs, int Batch, string Optimizer, float? LearningRate, float WeightDecay,
        string Schedule, int Seed, int? Limit, int? TestLimit, double ValidationSplit, string? Checkpoint, bool Resume, string OutputFolder, bool Json);

    private static int Run(TrainSettings s)
    {
        if (s.Limit is < 1) throw new ArgumentException($"--limit must be at least 1; got {s.Limit}.");
        if (s.TestLimit is < 1) throw new ArgumentException($"--test-limit must be at least 1; got {s.TestLimit}.");
        if (s.Resume && s.Checkpoint is null) throw new ArgumentException("--resume needs --checkpoint PATH.");
        LabeledImages train = FashionMnist.Load(train: true);
        LabeledImages test = FashionMnist.Load(train: false);
        if (s.Limit is int limit) train = train.Take(limit);
        if (s.TestLimit is int testLimit) test = test.Take(testLimit);

        using var context = GpuContext.CreateHeadless();
        using Model model = ModelZoo.Build(context, s.Arch, train.ClassCount, train.SampleShape, s.Seed);
        using Optimizer optimizer = OptimizerFactory.Create(s.Optimizer, model.Parameters, s.LearningRate,
            s.WeightDecay > 0 ? Regularization.L2Penalty(s.WeightDecay) : null);
        var fit = new FitOptions { Epochs = s.Epochs, BatchSize = s.Batch, Seed = s.Seed, ValidationSplit = s.ValidationSplit };
        using var trainer = new ClassifierTrainer(model, optimizer, fit);
        AddSchedule(trainer, s, optimizer.LearningRate);
        if (s.Checkpoint is not null) trainer.Callbacks.Add(new CheckpointEveryEpoch(s.Checkpoint));
        int startEpoch = 0;
        if (s.Resume && File.Exists(s.Checkpoint))
        {
            startEpoch = trainer.LoadCheckpoint(s.Checkpoint!);
            AnsiConsole.MarkupLine($"Resuming from [bold]{Markup.Escape(s.Checkpoint!)}[/] after epoch {startEpoch}.");
        }
        ModelSummary summary = model.Summary();
        AnsiConsole.MarkupLine($"Training [bold]{Markup.Escape(s.Arch)}[/] ({summary.TotalParameters:N0} parameters, {summary.Flops / 1e6:F1} MFLOP/image) on Fashion-MNIST " +
                               $"({train.Count:N0} training, {test.Count:N0} test images) on {Markup.Escape(context.Device.Renderer)}; " +
                               $"{s.Optimizer}, lr {optimizer.LearningRate}, batch {s.Batch}, seed {s.Seed}");

        var history = new List<(EpochReport Report, Evaluation Test)>();
        trainer.Log += message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        trainer.Callbacks.Insert(0, new TestEvaluation(test, history)); // test accuracy is part of each epoch's report
        ProgressDisplay.Run(trainer, () => trainer.Fit(train, startEpoch: startEpoch));

        Directory.CreateDirectory(s.OutputFolder);
        string plot = Path.Combine(s.OutputFolder, "curves.png");
        TrainingCurves.Save(plot, history.Select(h => (h.Report.Epoch, h.Report.TrainLoss, (double?)h.Test.Loss, h.Report.TrainAccuracy, (double?)h.Test.Accuracy)).ToList(),
            $"{s.Arch} on Fashion-MNIST", validationLabel: "test");
        string weights = Path.Combine(s.OutputFolder, "model.ckpt");
        // The final weights also describe themselves, so `classify`/`evaluate` can load them as a classifier.
        TrainingCheckpoint.Save(weights, model, optimizer, startEpoch + history.Count, new JsonObject
        {
            ["arch"] = s.Arch, ["dataset"] = "fashion-mnist",
            ["input"] = new JsonArray(train.SampleShape.Dimensions.ToArray().Select(d => (JsonNode)d).ToArray()),
            ["labels"] = new JsonArray(train.ClassNames.Select(l => (JsonNode)l).ToArray()),
        });
        Evaluation final = history.Count > 0 ? history[^1].Test : trainer.Evaluate(test);
        double imagesPerSecond = history.Count > 0 ? history.Average(h => h.Report.ImagesPerSecond) : 0;
        AnsiConsole.MarkupLine($"test accuracy [bold]{final.Accuracy:P2}[/] after {startEpoch + history.Count} epochs; {imagesPerSecond:N0} training images/s; " +
                               $"plot {Markup.Escape(plot)}, weights {Markup.Escape(weights)}");
        if (s.Json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["arch"] = s.Arch, ["dataset"] = "fashion-mnist", ["renderer"] = context.Device.Renderer,
                ["epochs"] = startEpoch + history.Count, ["test_accuracy"] = final.Accuracy, ["test_loss"] = final.Loss,
                ["images_per_second"] = imagesPerSecond, ["seconds"] = history.Sum(h => h.Report.Seconds),
                ["plot"] = plot, ["weights"] = weights,
                ["history"] = new JsonArray(history.Select(h => (JsonNode)new JsonObject
                {
                    ["epoch"] = h.Report.Epoch, ["train_loss"] = h.Report.TrainLoss, ["train_accuracy"] = h.Report.TrainAccuracy,
                    ["validation_accuracy"] = h.Report.ValidationAccuracy, ["test_loss"] = h.Test.Loss, ["test_accuracy"] = h.Test.Accuracy,
                    ["images_per_second"] = h.Report.ImagesPerSecond, ["seconds"] = h.Report.Seconds, ["rejected_steps"] = h.Report.RejectedSteps,
                }).ToArray()),
            });
        }
        return 0;
    }

    private static void AddSchedule(ClassifierTrainer trainer, TrainSettings s, float baseRate)
    {
        switch (s.Schedule)
        {
            case "step":
                trainer.Callbacks.Add(new EpochScheduleCallback(new StepDecaySchedule(baseRate, Math.Max(1, s.Epochs / 3), 0.1f)));
                break;
            case "cosine":
                trainer.Callbacks.Add(new EpochScheduleCallback(new CosineAnnealingSchedule(baseRate, s.Epochs)));
                break;
            case "plateau":
                trainer.Callbacks.Add(new PlateauCallback(new ReduceLearningRateOnPlateau(baseRate, new ReduceOnPlateauOptions())));
                break;
        }
    }

    /// <summary>Evaluates the test set after each epoch and prints the epoch line.</summary>
    private sealed class TestEvaluation(LabeledImages test, List<(EpochReport, Evaluation)> history) : ITrainingCallback
    {
        public bool OnEpochEnd(ClassifierTrainer trainer, EpochReport report)
        {
            Evaluation result = trainer.Evaluate(test);
            history.Add((report, result));
            string validation = report.ValidationAccuracy is double v ? $"  val {v:P1}" : "";
            AnsiConsole.MarkupLine($"epoch {report.Epoch,2}/{report.Epochs}  loss {report.TrainLoss:F4}  train {report.TrainAccuracy:P1}{validation}  " +
                                   $"[bold]test {result.Accuracy:P2}[/]  {report.ImagesPerSecond:N0} img/s  {report.Seconds:F1} s  lr {report.LearningRate:G3}" +
                                   (report.RejectedSteps > 0 ? $"  [yellow]{report.RejectedSteps} rejected steps[/]" : ""));
            return true;
        }
    }
}
