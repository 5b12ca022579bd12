using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>onnx-run</c>: imports an ONNX model for the shapes of the given TensorProto inputs, runs it on the GPU and writes
/// output_0.pb, output_1.pb... in graph-output order, each named and typed as the graph declares.
/// </summary>
internal static class OnnxRunCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var model = OnnxCommandSupport.ModelOption();
        var inputs = OnnxCommandSupport.InputOption();
        var outputDir = OnnxCommandSupport.OutputDirOption();
        var command = new Command("onnx-run", "Run an ONNX model on the GPU with TensorProto (.pb) inputs; writes output_<i>.pb.") { model, inputs, outputDir, json };
        command.SetAction(parse => CommandSupport.Guard("onnx-run", () =>
            Run(parse.GetValue(model)!, parse.GetValue(inputs) ?? [], parse.GetValue(outputDir)!, parse.GetValue(json))));
        return command;
    }

    private static int Run(string modelPath, string[] inputPaths, string outputDir, bool json)
    {
        var clock = Stopwatch.StartNew();
        (OnnxModel model, OnnxTensor[] inputs) = OnnxCommandSupport.ReadModelAndInputs(modelPath, inputPaths);
        string folder = OnnxCommandSupport.PrepareOutputFolder(outputDir);
        using GpuContext context = GpuContext.CreateHeadless();
        using ImportedModel imported = OnnxCommandSupport.Import(context, model, inputs);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        IReadOnlyList<OnnxTensor> outputs = imported.Run(inputs);
        var files = new JsonArray();
        for (int i = 0; i < outputs.Count; i++)
        {
            files.Add(OnnxCommandSupport.Write(folder, $"output_{i}.pb", outputs[i]));
            Console.WriteLine($"output_{i}.pb: {OnnxCommandSupport.Describe(outputs[i])}");
        }
        Console.WriteLine($"{imported.Model.Layers.Count()} layers on {context.Device.Renderer}; loaded in {loadSeconds:F2} s, total {clock.Elapsed.TotalSeconds:F2} s");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath), ["opset"] = imported.OpsetVersion, ["renderer"] = context.Device.Renderer,
                ["layers"] = imported.Model.Layers.Count(), ["outputs"] = files,
                ["load_seconds"] = Math.Round(loadSeconds, 3), ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            });
        }
        return 0;
    }
}
