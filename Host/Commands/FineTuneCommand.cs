using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.FineTuning;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>finetune</c>: teaches the pretrained backbone the classes of an image folder (one subfolder per
/// class) on the GPU, writes the classifier as ONNX and the loss/accuracy curves as PNG beside it.
/// </summary>
internal static class FineTuneCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var data = new Option<string>("--data") { Description = "Folder with one subfolder of images per class.", Required = true };
        var backbone = new Option<string>("--backbone") { Description = "Pretrained backbone.", DefaultValueFactory = _ => "mobilenet_v2" };
        var mode = new Option<string>("--mode") { Description = "head (cached embeddings), blocks:N (last N blocks), or full.", DefaultValueFactory = _ => "head" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 16 };
        var optimizer = new Option<string>("--optimizer") { Description = "Optimizer name.", DefaultValueFactory = _ => "adam" };
        var lr = new Option<float?>("--lr") { Description = "Head learning rate (backbone layers use --backbone-lr-scale times it)." };
        var backboneScale = new Option<float>("--backbone-lr-scale") { Description = "Backbone learning rate as a fraction of the head's.", DefaultValueFactory = _ => 0.1f };
        var seed = new Option<int>("--seed") { Description = "Seeds the split, the head and the shuffles.", DefaultValueFactory = _ => 0 };
        var valSplit = new Option<double>("--val-split") { Description = "Fraction of each class held out for validation.", DefaultValueFactory = _ => 0.2 };
        var augment = new Option<int>("--augment") { Description = "Augmented variants per training image (GPU augmentation; cached front outputs).", DefaultValueFactory = _ => 0 };
        var folds = new Option<int?>("--folds") { Description = "Stratified k-fold cross-validation instead of one split: reports the mean and standard deviation of the fold accuracies (no model is exported)." };
        var session = new Option<string?>("--session") { Description = "Keep samples and per-epoch checkpoints here (resumable)." };
        var output = new Option<string>("--out") { Description = "ONNX file to write (the plot goes next to it).", DefaultValueFactory = _ => Path.Combine("out", "finetuned.onnx") };
        var command = new Command("finetune", "Fine-tune a pretrained backbone on an image folder (one subfolder per class) and export ONNX.")
        {
            json, data, backbone, mode, epochs, batch, optimizer, lr, backboneScale, seed, valSplit, augment, folds, session, output,
        };
        command.SetAction(parse => CommandSupport.Guard("finetune", () =>
        {
            var options = new FineTuneOptions
            {
                Backbone = parse.GetValue(backbone)!, Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
                Optimizer = parse.GetValue(optimizer)!, LearningRate = parse.GetValue(lr), BackboneLearningRateScale = parse.GetValue(backboneScale),
                Seed = parse.GetValue(seed), ValidationSplit = parse.GetValue(valSplit), SessionFolder = parse.GetValue(session),
                AugmentedCopies = parse.GetValue(augment),
            };
            options = ParseMode(parse.GetValue(mode)!, options);
            options.Validate();
            int? k = parse.GetValue(folds);
            if (k is int foldCount)
            {
                if (foldCount < 2) throw new ArgumentException($"--folds must be at least 2; got {foldCount}.");
                return RunFolds(parse.GetRequiredValue(data), options, foldCount, parse.GetValue(json));
            }
            return Run(parse.GetRequiredValue(data), options, parse.GetValue(output)!, parse.GetValue(json));
        }));
        return command;
    }

    internal static FineTuneOptions ParseMode(string mode, FineTuneOptions options) => mode switch
    {
        "head" => options with { Mode = FineTuneMode.Head },
        "full" => options with { Mode = FineTuneMode.Full },
        _ when mode.StartsWith("blocks:", StringComparison.Ordinal) && int.TryParse(mode[7..], out int n) && n >= 1 =>
            options with { Mode = FineTuneMode.LastBlocks, TrainableBlocks = n },
        _ => throw new ArgumentException($"--mode must be head, blocks:N (N >= 1) or full; got '{mode}'."),
    };

    private static int Run(string data, FineTuneOptions options, string output, bool json)
    {
        var clock = Stopwatch.StartNew();
        using var runtime = VisionRuntime.CreateHeadless();
        using FineTuneSession session = FineTuneSession.FromFolder(runtime, data, options);
        foreach (var (path, reason) in session.SkippedSamples) AnsiConsole.MarkupLine($"[yellow]skipped[/] {Markup.Escape(path)}: {Markup.Escape(reason)}");
        AnsiConsole.MarkupLine($"Fine-tuning [bold]{Markup.Escape(options.Backbone)}[/] ({options.Mode}{(options.Mode == FineTuneMode.LastBlocks ? $" {options.TrainableBlocks}" : "")}) on " +
                               $"{session.SampleCounts.Sum()} images in {session.Classes.Count} classes ({Markup.Escape(string.Join(", ", session.Classes.Zip(session.SampleCounts, (c, n) => $"{c} {n}")))}) " +
                               $"on {Markup.Escape(runtime.DeviceDescription)}");
        session.EpochCompleted += e => AnsiConsole.MarkupLine(
            $"epoch {e.Epoch,2}/{options.Epochs}  loss {e.TrainLoss:F4}  train {e.TrainAccuracy:P1}" +
            (e.ValidationAccuracy is double v ? $"  [bold]val {v:P1}[/]" : "") + $"  {e.Seconds:F1} s");
        RunWithProgress(session);
        string folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(folder);
        session.ExportOnnx(output);
        string plot = Path.Combine(folder, Path.GetFileNameWithoutExtension(output) + ".curves.png");
        TrainingCurves.Save(plot, session.History.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.TrainAccuracy, e.ValidationAccuracy)).ToList(),
            $"{options.Backbone} fine-tuned ({options.Mode})");
        FineTuneEpoch last = session.History[^1];
        double trainingSeconds = session.History.Sum(e => e.Seconds);
        AnsiConsole.MarkupLine($"validation accuracy [bold]{last.ValidationAccuracy:P1}[/]; {clock.Elapsed.TotalSeconds:F0} s in all; model {Markup.Escape(output)}, plot {Markup.Escape(plot)}");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["val_accuracy"] = last.ValidationAccuracy, ["train_accuracy"] = last.TrainAccuracy, ["epochs"] = session.History.Count,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1), ["training_seconds"] = Math.Round(trainingSeconds, 1),
                ["images_per_second"] = Math.Round(session.SampleCounts.Sum() * (1 - options.ValidationSplit) * session.History.Count / Math.Max(1e-9, trainingSeconds), 1),
                ["mode"] = options.Mode.ToString(), ["augmented_copies"] = options.AugmentedCopies, ["trainable_blocks"] = options.Mode == FineTuneMode.LastBlocks ? options.TrainableBlocks : null,
                ["classes"] = new JsonArray(session.Classes.Select(c => (JsonNode)c).ToArray()),
                ["skipped"] = new JsonArray(session.SkippedSamples.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["reason"] = s.Reason }).ToArray()),
                ["model"] = output, ["plot"] = plot,
                ["history"] = new JsonArray(session.History.Select(e => (JsonNode)new JsonObject
                {
                    ["epoch"] = e.Epoch, ["train_loss"] = e.TrainLoss, ["train_accuracy"] = e.TrainAccuracy,
                    ["val_loss"] = e.ValidationLoss, ["val_accuracy"] = e.ValidationAccuracy, ["seconds"] = e.Seconds,
                }).ToArray()),
            });
        }
        return 0;
    }

    private static int RunFolds(string data, FineTuneOptions options, int folds, bool json)
    {
        var clock = Stopwatch.StartNew();
        using var runtime = VisionRuntime.CreateHeadless();
        using FineTuneSession session = FineTuneSession.FromFolder(runtime, data, options);
        foreach (var (path, reason) in session.SkippedSamples) AnsiConsole.MarkupLine($"[yellow]skipped[/] {Markup.Escape(path)}: {Markup.Escape(reason)}");
        AnsiConsole.MarkupLine($"{folds}-fold cross-validation of [bold]{Markup.Escape(options.Backbone)}[/] ({options.Mode}" +
                               $"{(options.Mode == FineTuneMode.LastBlocks ? $" {options.TrainableBlocks}" : "")}, {options.Epochs} epochs, {options.AugmentedCopies} augmented variants) " +
                               $"on {session.SampleCounts.Sum()} images in {session.Classes.Count} classes");
        IReadOnlyList<FoldResult> results = session.CrossValidate(folds);
        foreach (FoldResult r in results)
            AnsiConsole.MarkupLine($"fold {r.Fold + 1}/{folds}: validation {r.ValidationAccuracy:P1} of {r.ValidationCount} images, train {r.TrainAccuracy:P1}, {r.Seconds:F0} s");
        double mean = results.Average(r => r.ValidationAccuracy);
        double std = Math.Sqrt(results.Sum(r => (r.ValidationAccuracy - mean) * (r.ValidationAccuracy - mean)) / Math.Max(1, results.Count - 1));
        AnsiConsole.MarkupLine($"mean validation accuracy [bold]{mean:P1}[/] ± {std:P1} (sample std over folds); {clock.Elapsed.TotalSeconds:F0} s in all");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["folds"] = folds, ["mean_val_accuracy"] = mean, ["std_val_accuracy"] = std,
                ["fold_val_accuracies"] = new JsonArray(results.Select(r => (JsonNode)r.ValidationAccuracy).ToArray()),
                ["mode"] = options.Mode.ToString(), ["trainable_blocks"] = options.Mode == FineTuneMode.LastBlocks ? options.TrainableBlocks : null,
                ["augmented_copies"] = options.AugmentedCopies, ["epochs"] = options.Epochs, ["seed"] = options.Seed,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            });
        }
        return 0;
    }

    private static void RunWithProgress(FineTuneSession session)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            session.Train();
            return;
        }
        AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask("caching", maxValue: 1);
                while (!session.IsFinished)
                {
                    FineTuneProgress p = session.Step(TimeSpan.FromMilliseconds(200));
                    if (p.Phase == FineTunePhase.Caching)
                    {
                        task.MaxValue = p.SamplesToCache;
                        task.Value = p.CachedSamples;
                        task.Description = $"caching backbone outputs {p.ImagesPerSecond:F1} img/s";
                    }
                    else
                    {
                        task.MaxValue = (double)p.Epochs * p.StepsPerEpoch;
                        task.Value = (double)(p.Epoch - 1) * p.StepsPerEpoch + p.Step;
                        // The loss is read back from the GPU about once a second (never inside a step): NaN until then.
                        task.Description = double.IsNaN(p.Loss) ? $"epoch {p.Epoch}/{p.Epochs}" : $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}";
                    }
                }
            });
    }
}
