using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Commands;

/// <summary><c>visualize</c>: first-layer filters and per-layer activation maps of a model on one image, as PNGs.</summary>
internal static class VisualizeCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var model = new Option<string>("--model")
        {
            Description = $"Model: .onnx (e.g. from finetune), a TensorFlow.js model.json, or a pretrained trunk ({string.Join(", ", PretrainedZoo.Names)}).",
            Required = true,
        };
        var image = new Option<string>("--image") { Description = "Image file (PNG, BMP); transparent parts are composited onto white.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for input.png, filters.png and act_NN_<layer>.png.", Required = true };
        var command = new Command("visualize", "Draw a model's first-layer filters and its activation maps for one image (Zeiler-Fergus style) as PNGs.")
        {
            json, model, image, output,
        };
        command.SetAction(parse => CommandSupport.Guard("visualize", () =>
        {
            DecodedImage decoded = ImageDecoders.Load(parse.GetRequiredValue(image));
            using var runtime = VisionRuntime.CreateHeadless();
            string modelName = parse.GetRequiredValue(model);
            bool pretrained = PretrainedZoo.Contains(modelName) && !File.Exists(modelName) && !Directory.Exists(modelName);
            using Model? trunk = pretrained ? PretrainedZoo.Load(runtime.Context, modelName) : null;
            using Classifier? classifier = pretrained ? null : ClassifierFiles.Load(runtime, modelName);
            Model network = trunk ?? classifier!.Model;
            TensorShape inputShape = network.InputShapes[0];
            PreprocessOptions preprocess = classifier?.Preprocess ?? new PreprocessOptions { Height = inputShape[1], Width = inputShape[2] };

            using var input = new Tensor(runtime.Context, new TensorShape(1, 3, preprocess.Height, preprocess.Width));
            if (decoded.HasAlpha)
                ImagePreprocessing.ToTensor(AlphaCompositing.ToRgb(decoded, RgbColor.White), decoded.Width, decoded.Height, decoded.Width * 3, PixelFormat.Rgb24, input, 0, preprocess);
            else
                ImagePreprocessing.ToTensor(decoded.Pixels.Span, decoded.Width, decoded.Height, decoded.Width * DecodedImage.BytesPerPixel, PixelFormat.Rgba32, input, 0, preprocess);
            NetworkVisualization result = NetworkVisualizer.Write(network, input, parse.GetRequiredValue(output));

            if (result.FilterShape is { } filters)
                AnsiConsole.MarkupLine($"filters: [bold]{Markup.Escape(result.FilterLayer!)}[/] {Markup.Escape(filters.ToString())}");
            var table = new Table().AddColumn("node").AddColumn("layer").AddColumn("output").AddColumn("file");
            foreach (VisualizedLayer layer in result.Layers)
                table.AddRow(layer.Node.ToString(), Markup.Escape(layer.Name), Markup.Escape(layer.Shape.ToString()), Markup.Escape(Path.GetFileName(layer.File)));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"wrote {result.Files.Count} PNGs to {Markup.Escape(parse.GetRequiredValue(output))}");
            if (parse.GetValue(json))
                CommandSupport.PrintJson(new JsonObject
                {
                    ["model"] = modelName,
                    ["image"] = parse.GetRequiredValue(image),
                    ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)f).ToArray()),
                    ["filterLayer"] = result.FilterLayer,
                    ["filterShape"] = result.FilterShape is { } s ? Dimensions(s) : null,
                    ["layers"] = new JsonArray(result.Layers.Select(l => (JsonNode)new JsonObject
                    {
                        ["node"] = l.Node, ["name"] = l.Name, ["shape"] = Dimensions(l.Shape), ["channelsShown"] = l.ChannelsShown, ["file"] = l.File,
                    }).ToArray()),
                });
            return 0;
        }));
        return command;
    }

    private static JsonArray Dimensions(TensorShape shape) => new(shape.Dimensions.ToArray().Select(d => (JsonNode)d).ToArray());
}
