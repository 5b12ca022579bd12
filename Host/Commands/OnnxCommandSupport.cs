using System.CommandLine;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// What <c>onnx-run</c> and <c>onnx-grad</c> share: their options, reading the model and the TensorProto inputs,
/// importing for the inputs' shapes, and writing result tensors into the output folder.
/// </summary>
internal static class OnnxCommandSupport
{
    public static Option<string> ModelOption() => new("--model") { Description = "The ONNX model (.onnx).", Required = true };

    public static Option<string[]> InputOption() => new("--input")
    {
        Description = "A TensorProto file (.pb) per graph input, in graph-input order; repeat the option.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string> OutputDirOption() => new("--output-dir") { Description = "Folder for the result .pb files (created if missing).", Required = true };

    /// <summary>The model, read and checked against the number of input files.</summary>
    public static (OnnxModel Model, OnnxTensor[] Inputs) ReadModelAndInputs(string modelPath, string[] inputPaths)
    {
        OnnxModel model = OnnxReader.ReadModel(modelPath);
        OnnxValueInfo[] expected = model.Graph.DataInputs().ToArray();
        if (inputPaths.Length != expected.Length)
            throw new ArgumentException(
                $"The model takes {expected.Length} input(s) ({string.Join(", ", expected.Select(i => i.ToString()))}); got {inputPaths.Length} --input file(s).");
        OnnxTensor[] inputs = inputPaths.Select(p => OnnxReader.ReadTensor(p)).ToArray();
        return (model, inputs);
    }

    /// <summary>Imports for the shapes of the given tensors (graph-input order).</summary>
    public static ImportedModel Import(GpuContext context, OnnxModel model, IReadOnlyList<OnnxTensor> inputs)
    {
        OnnxValueInfo[] expected = model.Graph.DataInputs().ToArray();
        var shapes = new Dictionary<string, int[]>();
        for (int i = 0; i < expected.Length; i++)
            shapes[expected[i].Name] = inputs[i].Dims.ToArray().Select(d => d is >= 0 and <= int.MaxValue ? (int)d : throw new ArgumentException(
                $"Input {i} ('{expected[i].Name}') has dimension {d}, outside what a tensor can hold.")).ToArray();
        return OnnxImporter.Load(context, model, new OnnxImportOptions { InputShapes = shapes });
    }

    public static string PrepareOutputFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        return Path.GetFullPath(folder);
    }

    /// <summary>Writes <paramref name="tensor"/> to folder/file (atomically) and returns its JSON summary.</summary>
    public static JsonObject Write(string folder, string file, OnnxTensor tensor)
    {
        string path = Path.Combine(folder, file);
        OnnxWriter.WriteTensor(tensor, path);
        return new JsonObject
        {
            ["name"] = tensor.Name, ["file"] = path, ["type"] = tensor.DataType.ProtoName(),
            ["shape"] = new JsonArray(tensor.Dims.ToArray().Select(d => (JsonNode)d).ToArray()),
        };
    }

    public static string Describe(OnnxTensor tensor) => $"{tensor.Name} {tensor.DataType.ProtoName()} [{string.Join(",", tensor.Dims.ToArray())}]";
}
