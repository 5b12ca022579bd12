using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>onnx-grad</c>: forward and backward of an ONNX model on the GPU (inference semantics: BatchNorm running
/// statistics, Dropout off) for output gradients dy_k, writing the vector-Jacobian products
/// d(sum_k output_k * dy_k)/dX as grad_input_&lt;i&gt;.pb for every float graph input and grad_&lt;initializer&gt;.pb for
/// every float initializer (names made file-system safe by <see cref="OnnxFileNames"/>; the JSON maps them back).
/// </summary>
internal static class OnnxGradCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var model = OnnxCommandSupport.ModelOption();
        var inputs = OnnxCommandSupport.InputOption();
        var gradOutputs = new Option<string[]>("--grad-output") { Description = "A TensorProto file per graph output (dy), in graph-output order; repeat the option." };
        var outputDir = OnnxCommandSupport.OutputDirOption();
        var command = new Command("onnx-grad",
            "Back-propagate output gradients through an ONNX model on the GPU; writes grad_input_<i>.pb and grad_<initializer>.pb.")
        {
            model, inputs, gradOutputs, outputDir, json,
        };
        command.SetAction(parse => CommandSupport.Guard("onnx-grad", () =>
            Run(parse.GetValue(model)!, parse.GetValue(inputs) ?? [], parse.GetValue(gradOutputs) ?? [], parse.GetValue(outputDir)!, parse.GetValue(json))));
        return command;
    }

    private static int Run(string modelPath, string[] inputPaths, string[] gradOutputPaths, string outputDir, bool json)
    {
        var clock = Stopwatch.StartNew();
        (OnnxModel model, OnnxTensor[] inputs) = OnnxCommandSupport.ReadModelAndInputs(modelPath, inputPaths);
        if (gradOutputPaths.Length != model.Graph.Outputs.Count)
            throw new ArgumentException(
                $"The model has {model.Graph.Outputs.Count} output(s) ({string.Join(", ", model.Graph.Outputs.Select(o => o.ToString()))}); got {gradOutputPaths.Length} --grad-output file(s).");
        OnnxTensor[] gradOutputs = gradOutputPaths.Select(p => OnnxReader.ReadTensor(p)).ToArray();
        string folder = OnnxCommandSupport.PrepareOutputFolder(outputDir);
        using GpuContext context = GpuContext.CreateHeadless();
        using ImportedModel imported = OnnxCommandSupport.Import(context, model, inputs);
        OnnxGradients gradients = imported.Gradients(inputs, gradOutputs);

        var inputFiles = new JsonArray();
        for (int i = 0; i < gradients.Inputs.Count; i++)
        {
            if (gradients.Inputs[i] is not { } g) continue;   // integer inputs have no gradient
            string file = $"grad_input_{i}.pb";
            inputFiles.Add(OnnxCommandSupport.Write(folder, file, g));
            Console.WriteLine($"{file}: {OnnxCommandSupport.Describe(g)}");
        }
        IReadOnlyDictionary<string, string> names = OnnxFileNames.Assign(gradients.Initializers.Select(p => p.Key), "grad_", ".pb",
            Enumerable.Range(0, gradients.Inputs.Count).Select(i => $"grad_input_{i}.pb"));
        var initializerFiles = new JsonArray();
        foreach (var (name, g) in gradients.Initializers)
        {
            initializerFiles.Add(OnnxCommandSupport.Write(folder, names[name], g));
            Console.WriteLine($"{names[name]}: {OnnxCommandSupport.Describe(g)}");
        }
        foreach (string name in gradients.NotDifferentiated)
            Console.WriteLine($"not differentiated (an operator setting, no file): {name}");
        Console.WriteLine($"{inputFiles.Count + initializerFiles.Count} gradient file(s) on {context.Device.Renderer} in {clock.Elapsed.TotalSeconds:F2} s");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath), ["opset"] = imported.OpsetVersion, ["renderer"] = context.Device.Renderer,
                ["input_gradients"] = inputFiles, ["initializer_gradients"] = initializerFiles,
                ["not_differentiated"] = new JsonArray(gradients.NotDifferentiated.Select(n => (JsonNode)n!).ToArray()),
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            });
        }
        return 0;
    }
}
