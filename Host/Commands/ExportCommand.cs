using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Export;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>export</c>: builds a model-zoo architecture (fresh, or with the weights of a checkpoint saved by <c>train</c>)
/// and writes it as an ONNX opset-13 inference graph (see <see cref="OnnxExporter"/>).
/// </summary>
internal static class ExportCommand
{
    /// <summary>What <c>train</c> trains on (Fashion-MNIST): the defaults for a model restored from its checkpoint.</summary>
    private static readonly TensorShape TrainedInput = new(1, 28, 28);

    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var arch = new Option<string>("--arch") { Description = "Model-zoo architecture (lenet5, resnet18, squeezenet, ...).", Required = true };
        var classes = new Option<int?>("--classes") { Description = "Output classes (default 1000; 10 with --checkpoint, as train uses Fashion-MNIST)." };
        var input = new Option<string?>("--input") { Description = "Per-image input C,H,W (default: the architecture's; 1,28,28 with --checkpoint)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Load the weights of a checkpoint saved by train (model.ckpt)." };
        var seed = new Option<int>("--seed") { Description = "Seeds the fresh weights (without --checkpoint).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "The .onnx file to write (replaced atomically).", Required = true };
        var command = new Command("export", "Export a model-zoo architecture (optionally trained: --checkpoint) to an ONNX opset-13 file.")
        {
            json, arch, classes, input, checkpoint, seed, output,
        };
        command.SetAction(parse => CommandSupport.Guard("export", () => Run(parse.GetValue(arch)!, parse.GetValue(classes), parse.GetValue(input),
            parse.GetValue(checkpoint), parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(json))));
        return command;
    }

    private static int Run(string arch, int? classes, string? inputText, string? checkpoint, int seed, string path, bool json)
    {
        TensorShape defaultInput = ModelZoo.DefaultInput(arch);   // an unknown name throws the zoo's message listing the names
        TensorShape input = inputText is not null ? ParseShape(inputText) : checkpoint is not null ? TrainedInput : defaultInput;
        int classCount = classes ?? (checkpoint is not null ? FashionMnist.ClassNames.Count : 1000);
        if (classCount < 1) throw new ArgumentException($"--classes must be at least 1; got {classCount}.");
        if (checkpoint is not null && !File.Exists(checkpoint)) throw new FileNotFoundException($"Checkpoint '{checkpoint}' does not exist.", checkpoint);

        var clock = Stopwatch.StartNew();
        using var context = GpuContext.CreateHeadless();
        using Model model = ModelZoo.Build(context, arch, classCount, input, seed);
        if (checkpoint is not null) LoadCheckpoint(checkpoint, model);
        OnnxModel onnx = OnnxExporter.ToOnnx(model);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        OnnxWriter.WriteModel(onnx, path);
        double seconds = clock.Elapsed.TotalSeconds;

        long bytes = new FileInfo(path).Length;
        long parameters = model.Parameters.Sum(p => (long)p.Shape.ElementCount);
        OnnxValueInfo graphInput = onnx.Graph.Inputs[0], graphOutput = onnx.Graph.Outputs[0];
        Console.WriteLine($"Exported {model.Name} ({parameters:N0} parameters{(checkpoint is null ? $", fresh weights, seed {seed}" : $", weights from {checkpoint}")}) " +
                          $"to {path}: {bytes / 1e6:F1} MB, ONNX opset {OnnxExporter.OpsetVersion}, {onnx.Graph.Nodes.Count} nodes, " +
                          $"{onnx.Graph.Initializers.Count} initializers; {graphInput}, {graphOutput}; {seconds:F1} s");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["arch"] = arch, ["model"] = model.Name, ["path"] = Path.GetFullPath(path), ["bytes"] = bytes,
                ["opset"] = OnnxExporter.OpsetVersion, ["ir_version"] = OnnxExporter.IrVersion, ["classes"] = classCount,
                ["input"] = Dims(graphInput), ["output"] = Dims(graphOutput), ["input_name"] = graphInput.Name, ["output_name"] = graphOutput.Name,
                ["nodes"] = onnx.Graph.Nodes.Count, ["initializers"] = onnx.Graph.Initializers.Count, ["parameters"] = parameters,
                ["checkpoint"] = checkpoint, ["seed"] = checkpoint is null ? seed : null, ["seconds"] = seconds,
            });
        }
        return 0;
    }

    /// <summary>Restores a <c>train</c> checkpoint's weights and running statistics; a mismatch names the file.</summary>
    private static void LoadCheckpoint(string checkpoint, Model model)
    {
        try
        {
            TrainingCheckpoint.Load(checkpoint, model, optimizer: null);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{checkpoint} does not fit {model.Name} (built for --classes and --input): {e.Message}", e);
        }
    }

    /// <summary>"3,224,224" -> [3,224,224].</summary>
    private static TensorShape ParseShape(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out int d) && d > 0))
            throw new ArgumentException($"--input must be three positive sizes C,H,W (e.g. 3,224,224); got '{text}'.");
        return new TensorShape(parts.Select(int.Parse).ToArray());
    }

    /// <summary>A value's dims as JSON: numbers, the batch axis's name, or null when unknown.</summary>
    private static JsonArray Dims(OnnxValueInfo value) =>
        new(value.Shape!.Value.Select(d => d.Value is long v ? JsonValue.Create(v) : (JsonNode?)JsonValue.Create(d.Param)).ToArray());
}
