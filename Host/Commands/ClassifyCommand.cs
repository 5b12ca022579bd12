using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Classification;
using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Commands;

/// <summary><c>classify</c>: the top-k labels of one image with a model file (ONNX or TensorFlow.js).</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var model = new Option<string>("--model") { Description = "Model: .onnx (e.g. from finetune) or a TensorFlow.js model.json.", Required = true };
        var image = new Option<string>("--image") { Description = "Image file (PNG, BMP).", Required = true };
        var top = new Option<int>("--top") { Description = "How many classes to list.", DefaultValueFactory = _ => 5 };
        var command = new Command("classify", "Classify one image with a model file and print the top-k labels and probabilities.") { json, model, image, top };
        command.SetAction(parse => CommandSupport.Guard("classify", () =>
        {
            int k = parse.GetValue(top);
            if (k < 1) throw new ArgumentException($"--top must be at least 1; got {k}.");
            DecodedImage decoded = ImageDecoders.Load(parse.GetRequiredValue(image));
            using var runtime = VisionRuntime.CreateHeadless();
            using Classifier classifier = ClassifierFiles.Load(runtime, parse.GetRequiredValue(model));
            // Cut-outs are composited onto white, as fine-tuning saw them.
            Frame frame = decoded.HasAlpha
                ? Frame.Packed(AlphaCompositing.ToRgb(decoded, VisionPlugin.Visualization.RgbColor.White), decoded.Width, decoded.Height, VisionPlugin.Engine.Imaging.PixelFormat.Rgb24)
                : decoded.ToFrame();
            IReadOnlyList<Prediction> predictions = classifier.Classify(frame, k);
            // Process start to first prediction (what `bench` reports as in-process start-up time).
            double sinceStart = (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalSeconds;
            foreach (Prediction p in predictions)
                AnsiConsole.MarkupLine($"{Markup.Escape(p.Label),-20} {p.Probability,8:P2}");
            if (parse.GetValue(json))
                CommandSupport.PrintJson(new JsonObject
                {
                    ["image"] = parse.GetRequiredValue(image),
                    ["seconds_since_process_start"] = Math.Round(sinceStart, 3),
                    ["top"] = new JsonArray(predictions.Select(p => (JsonNode)new JsonObject
                    {
                        ["label"] = p.Label, ["index"] = p.ClassIndex, ["probability"] = p.Probability,
                    }).ToArray()),
                });
            return 0;
        }));
        return command;
    }
}
