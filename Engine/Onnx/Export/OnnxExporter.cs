using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Writes a <see cref="Model"/> as an ONNX inference graph (opset <see cref="OpsetVersion"/>, IR version
/// <see cref="IrVersion"/>) that ONNX Runtime and other standard runtimes run. The graph input <c>input</c> is
/// FLOAT [N, C, H, W] with a symbolic batch axis (1 when the graph only takes one image; fixed sizes for an imported
/// graph, see <see cref="Export(ImportedModel, string, OnnxExportOptions?)"/>); each model output becomes a graph output (<c>output</c>). Every
/// layer maps to standard operators in the default domain (see <see cref="LayerMapping"/>); weights are
/// initializers named by their parameters (<c>conv1.weight</c>) and BatchNorm running statistics by their buffer
/// names (<c>bn1.running_mean</c>). The graph is what inference computes: dropout is the identity, batch norm uses
/// the running statistics, randomized activations use their mean behaviour. Call on the model's GL thread
/// (weights are read back from the GPU).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The standard operator set the graph is written against.</summary>
    public const long OpsetVersion = 13;

    /// <summary>The IR version released with opset 13 (ONNX 1.8).</summary>
    public const long IrVersion = 7;

    public const string ProducerName = "VisionPlugin";

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/>, replacing the file atomically.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent; the message names it and its type. Nothing is written.</exception>
    /// <exception cref="ArgumentException">The model's graph is invalid, or the options' names clash.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names it).</exception>
    public static void Export(Model model, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OnnxModel onnx = ToOnnx(model, options);
        OnnxWriter.WriteModel(onnx, path);
    }

    /// <summary>The ONNX model <see cref="Export(Model, string, OnnxExportOptions?)"/> writes, in memory.</summary>
    public static OnnxModel ToOnnx(Model model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= OnnxExportOptions.Default;
        // Shapes for a batch of one give ranks and per-sample sizes; a batch of two shows which axes follow the batch.
        // A graph that only takes a batch of one (a Flatten(axis 0) feeding a Linear) is written with batch 1 fixed.
        // With fixed batch sizes (an imported graph) every shape is the real one and written as it is.
        TensorShape[] shapes = options.BatchSizes is { } batchSizes ? FixedShapes(model, batchSizes) : model.InferShapes(batchSize: 1);
        TensorShape[] shapesOfTwo = options.BatchSizes is null ? ShapesOfTwo(model) ?? shapes : shapes;
        IReadOnlyList<string> inputNames = options.ResolveInputNames(model.InputCount);
        IReadOnlyList<string> outputNames = options.ResolveOutputNames(model.Outputs.Count);

        var graph = new OnnxGraphBuilder();
        foreach (string name in inputNames) graph.Reserve(name, "graph input");
        foreach (string name in outputNames) graph.Reserve(name, "graph output");
        foreach (var layer in model.Layers)
        {
            foreach (var parameter in layer.Parameters) graph.ReserveInitializer(parameter.Name, "parameter");
            foreach (var (name, _) in layer.Buffers) graph.ReserveInitializer(name, "buffer");
        }

        // A layer node that is an output writes the output's name directly; an input node or a repeated output
        // gets an Identity at the end.
        var writesOutput = new Dictionary<int, string>();
        for (int o = 0; o < model.Outputs.Count; o++)
            if (model.Outputs[o] >= model.InputCount) writesOutput.TryAdd(model.Outputs[o], outputNames[o]);

        var values = new string[model.NodeCount];
        for (int i = 0; i < model.InputCount; i++) values[i] = inputNames[i];
        for (int id = model.InputCount; id < model.NodeCount; id++)
        {
            var (layer, inputs) = model.NodeAt(id);
            string output = writesOutput.TryGetValue(id, out string? name) ? name : graph.Unique(layer!.Name);
            LayerMapping.Export(new LayerExport(graph, layer!, inputs.Select(j => values[j]).ToArray(),
                inputs.Select(j => shapes[j]).ToArray(), output, shapes[id]));
            values[id] = output;
        }
        for (int o = 0; o < model.Outputs.Count; o++)
            if (values[model.Outputs[o]] != outputNames[o])
                graph.AddNode("Identity", outputNames[o], [values[model.Outputs[o]]], [outputNames[o]]);

        var inputInfos = Enumerable.Range(0, model.InputCount)
            .Select(i => ValueInfo(inputNames[i], shapes[i], shapesOfTwo[i], options.BatchDimension));
        var outputInfos = Enumerable.Range(0, model.Outputs.Count)
            .Select(o => ValueInfo(outputNames[o], shapes[model.Outputs[o]], shapesOfTwo[model.Outputs[o]], options.BatchDimension));
        return new OnnxModel
        {
            IrVersion = IrVersion,
            OpsetImports = [new OnnxOpsetImport("", OpsetVersion)],
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            DocString = options.DocString,
            Graph = new OnnxGraph(options.GraphName ?? model.Name, ValueArray.From(graph.Nodes), ValueArray.From(graph.Initializers),
                ValueArray.From(inputInfos), ValueArray.From(outputInfos), default),
        };
    }

    /// <summary>
    /// Exports an imported graph (<see cref="OnnxImporter"/>, possibly fine-tuned since) with the input shapes it was
    /// loaded for: its layers reshape whole tensors (batch axis included), so the batch sizes are fixed
    /// (<see cref="OnnxExportOptions.BatchSizes"/>, unless the options set them) and every dimension is written.
    /// </summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent; the message names it and its type. Nothing is written.</exception>
    public static void Export(ImportedModel imported, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OnnxWriter.WriteModel(ToOnnx(imported, options), path);
    }

    /// <summary>The ONNX model <see cref="Export(ImportedModel, string, OnnxExportOptions?)"/> writes, in memory.</summary>
    public static OnnxModel ToOnnx(ImportedModel imported, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(imported);
        options ??= OnnxExportOptions.Default;
        // A rank-0 input travels as [1] (the engine's batch of one).
        int[] batchSizes = imported.Inputs.Select(i => i.Shape.Rank > 0 ? i.Shape[0] : 1).ToArray();
        return ToOnnx(imported.Model, options.BatchSizes is null ? options with { BatchSizes = batchSizes } : options);
    }

    private static TensorShape[] FixedShapes(Model model, IReadOnlyList<int> batchSizes)
    {
        if (batchSizes.Any(b => b < 1))
            throw new ArgumentException($"ONNX export option BatchSizes must be positive; got [{string.Join(", ", batchSizes)}].", nameof(batchSizes));
        return model.InferShapes(batchSizes);
    }

    private static TensorShape[]? ShapesOfTwo(Model model)
    {
        try
        {
            return model.InferShapes(batchSize: 2);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// FLOAT value info: axes whose size is 1 for a batch of one and 2 for a batch of two are the batch axis
    /// (<paramref name="batch"/>); other axes that change with the batch are unknown; the rest are fixed.
    /// </summary>
    private static OnnxValueInfo ValueInfo(string name, TensorShape ofOne, TensorShape ofTwo, string batch)
    {
        var dims = new OnnxDimension[ofOne.Rank];
        for (int d = 0; d < dims.Length; d++)
            dims[d] = ofOne[d] == ofTwo[d] ? OnnxDimension.Known(ofOne[d])
                : ofOne[d] == 1 && ofTwo[d] == 2 ? OnnxDimension.Symbolic(batch)
                : OnnxDimension.Unknown;
        return new OnnxValueInfo(name, OnnxDataType.Float, ValueArray.Create<OnnxDimension>(dims));
    }
}
