using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Classification;
using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Commands;

/// <summary><c>evaluate</c>: accuracy and confusion matrix of a model file on an image folder (one subfolder per class).</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var model = new Option<string>("--model") { Description = "Model: .onnx (e.g. from finetune) or a TensorFlow.js model.json.", Required = true };
        var data = new Option<string>("--data") { Description = "Folder with one subfolder of images per class (names as the model's labels).", Required = true };
        var command = new Command("evaluate", "Accuracy and confusion matrix of a model on a labelled image folder.") { json, model, data };
        command.SetAction(parse => CommandSupport.Guard("evaluate", () =>
        {
            ImageFolderDataset dataset = ImageFolderDataset.Load(parse.GetRequiredValue(data));
            using var runtime = VisionRuntime.CreateHeadless();
            using Classifier classifier = ClassifierFiles.Load(runtime, parse.GetRequiredValue(model));
            int[] toModel = [.. dataset.ClassNames.Select(name =>
            {
                int index = classifier.Labels.ToList().IndexOf(name);
                return index >= 0 ? index : throw new ArgumentException(
                    $"Folder class '{name}' is not one of the model's labels ({string.Join(", ", classifier.Labels)}).");
            })];
            int k = classifier.Labels.Count;
            var confusion = new int[k, k];
            int correct = 0;
            foreach (ImageSample sample in dataset.Samples)
            {
                int truth = toModel[sample.Label];
                int predicted = classifier.Classify(sample.ToFrame(), 1)[0].ClassIndex;
                confusion[truth, predicted]++;
                if (predicted == truth) correct++;
            }
            double accuracy = (double)correct / dataset.Count;
            var table = new Table().AddColumn("true \\ predicted");
            foreach (string label in classifier.Labels) table.AddColumn(Markup.Escape(label));
            for (int t = 0; t < k; t++)
                table.AddRow([Markup.Escape(classifier.Labels[t]), .. Enumerable.Range(0, k).Select(p => confusion[t, p].ToString())]);
            AnsiConsole.Write(table);
            foreach (SkippedFile skipped in dataset.Skipped) AnsiConsole.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skipped.Path)}: {Markup.Escape(skipped.Reason)}");
            AnsiConsole.MarkupLine($"accuracy [bold]{accuracy:P2}[/] on {dataset.Count} images");
            if (parse.GetValue(json))
                CommandSupport.PrintJson(new JsonObject
                {
                    ["accuracy"] = accuracy, ["count"] = dataset.Count,
                    ["labels"] = new JsonArray(classifier.Labels.Select(l => (JsonNode)l).ToArray()),
                    ["confusion"] = new JsonArray(Enumerable.Range(0, k).Select(t =>
                        (JsonNode)new JsonArray(Enumerable.Range(0, k).Select(p => (JsonNode)confusion[t, p]).ToArray())).ToArray()),
                    ["skipped"] = new JsonArray(dataset.Skipped.Select(s => (JsonNode)s.Path).ToArray()),
                });
            return 0;
        }));
        return command;
    }
}
