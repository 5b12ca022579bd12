using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Turns an ONNX graph (opset 6 and later) into an engine <see cref="Model"/> whose every op runs forward and
/// backward on the GPU. All shapes are fixed at load time (<see cref="OnnxImportOptions.InputShapes"/>); values
/// known at load time (initializers, Constant nodes, shape arithmetic) are folded on the host, and only what depends
/// on the graph inputs becomes layers. Before anything is built the whole graph is checked: one error lists every
/// unsupported operator with its nodes; cycles and dangling values are refused. See docs/onnx-support.md.
/// </summary>
public static class OnnxImporter
{
    /// <summary>The oldest default-domain opset whose operator semantics the importer implements.</summary>
    public const long MinimumOpset = 6;

    /// <summary>Reads and imports the model at <paramref name="path"/> (GL thread only).</summary>
    /// <exception cref="OnnxFormatException">The file is not a readable ONNX model.</exception>
    /// <exception cref="OnnxImportException">The model cannot be imported; the message names the node and why.</exception>
    public static ImportedModel Load(GpuContext context, string path, OnnxImportOptions? options = null)
    {
        options ??= OnnxImportOptions.Default;
        OnnxModel model = OnnxReader.ReadModel(path, options.ReadLimits);
        return Load(context, model, options);
    }

    /// <summary>Imports a model already read.</summary>
    public static ImportedModel Load(GpuContext context, OnnxModel onnx, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(onnx);
        options ??= OnnxImportOptions.Default;
        long opset = onnx.DefaultOpsetVersion ?? throw new OnnxImportException("The model imports no version of the default ONNX operator set.");
        if (opset < MinimumOpset) throw new OnnxImportException($"The model uses ONNX opset {opset}; the importer reads opset {MinimumOpset} and later.");
        OnnxGraph graph = onnx.Graph;
        OperatorSupport.Check(graph);
        int[] order = GraphOrder.Sort(graph);
        ImportedTensorInfo[] inputs = InputSignatures.Resolve(graph, options.InputShapes);
        if (inputs.Length == 0) throw new OnnxImportException("The graph has no data inputs (every input is an initializer); there is nothing to run.");

        // Model inputs carry the ONNX shape with its first axis as the batch axis; a scalar input travels as [1].
        TensorShape[] engineShapes = inputs.Select(i => i.Shape.Rank == 0 ? new TensorShape(1) : i.Shape).ToArray();
        var model = new Model(context, graph.Name.Length > 0 ? graph.Name : "onnx", engineShapes.Select(s => new TensorShape(s.Dimensions[1..].ToArray())).ToArray());
        try
        {
            long maxBuffer = Math.Min(options.MaxBufferBytes ?? long.MaxValue, context.Device.MaxStorageBlockBytes);
            var builder = new GraphBuilder(context, model, engineShapes, opset, maxBuffer);
            for (int i = 0; i < inputs.Length; i++)
            {
                int node = i;
                if (inputs[i].Shape.Rank == 0) node = builder.Add(new ReshapeToLayer(builder.UniqueLayerName($"{inputs[i].Name}/scalar"), inputs[i].Shape), i);
                builder.DefineInput(inputs[i].Name, inputs[i].ElementType, node, inputs[i].Shape);
            }
            List<ImportedTensorInfo> floatInitializers = DefineInitializers(graph, builder);
            foreach (int index in order) Convert(builder, graph.Nodes[index], index);
            ImportedTensorInfo[] outputs = DefineOutputs(graph, builder);
            FreezeForInference(model, builder);
            return new ImportedModel(model, opset, inputs, outputs, builder.Bindings, builder.StatisticsBindings, floatInitializers,
                builder.SettingInitializers);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Makes every numeric initializer a constant value; returns the float ones (those with gradients).</summary>
    private static List<ImportedTensorInfo> DefineInitializers(OnnxGraph graph, GraphBuilder builder)
    {
        var floats = new List<ImportedTensorInfo>();
        foreach (OnnxTensor tensor in graph.Initializers)
        {
            if (builder.Has(tensor.Name)) throw new OnnxImportException($"Initializer '{tensor.Name}' is defined twice (or is also a data input).");
            TensorShape shape = InputSignatures.ToShape(tensor.Dims.ToArray(), $"initializer '{tensor.Name}'");
            bool isFloat = ImportValue.IsFloatType(tensor.DataType);
            if (!isFloat && !IsInteger(tensor.DataType)) continue;   // strings and the like: only an error if a node reads them
            try
            {
                builder.SetConstant(ConstantValue.FromTensor(tensor.Name, tensor, shape, isFloat ? new InitializerOrigin(tensor.Name, null) : null));
            }
            catch (OnnxFormatException e)
            {
                throw new OnnxImportException($"Initializer '{tensor.Name}': {e.Message}", e);
            }
            if (isFloat) floats.Add(new ImportedTensorInfo(tensor.Name, tensor.DataType, shape));
        }
        return floats;
    }

    private static bool IsInteger(OnnxDataType type) => type is OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Int16 or OnnxDataType.Int8
        or OnnxDataType.UInt8 or OnnxDataType.UInt16 or OnnxDataType.UInt32 or OnnxDataType.UInt64 or OnnxDataType.Bool;

    /// <summary>Converts one node; engine-level argument errors become import errors naming the node.</summary>
    private static void Convert(GraphBuilder builder, OnnxNode node, int index)
    {
        builder.Begin(node, index);
        try
        {
            OperatorSupport.Converter(node.OpType)(builder);
        }
        catch (Exception e) when (e is ArgumentException or OnnxFormatException or InvalidOperationException or OverflowException)
        {
            throw builder.Error(e.Message);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or KeyNotFoundException or DivideByZeroException or NullReferenceException or InvalidCastException)
        {
            // A combination of attributes no check above anticipated: still an error about this node, never a crash.
            throw builder.Error($"cannot convert ({e.GetType().Name}: {e.Message})");
        }
    }

    private static ImportedTensorInfo[] DefineOutputs(OnnxGraph graph, GraphBuilder builder)
    {
        var outputs = new ImportedTensorInfo[graph.Outputs.Count];
        var nodes = new int[graph.Outputs.Count];
        for (int i = 0; i < outputs.Length; i++)
        {
            OnnxValueInfo info = graph.Outputs[i];
            if (!builder.Has(info.Name)) throw new OnnxImportException($"Graph output '{info.Name}' has no value.");
            ImportValue value = builder.Value(info.Name);
            OnnxDataType type = info.ElementType == OnnxDataType.Undefined ? value.Type : info.ElementType;
            if (!OnnxTensorValues.CanWrite(type))
                throw new OnnxImportException($"Graph output '{info.Name}' is {type.ProtoName()}; the engine computes float32 and writes FLOAT, DOUBLE, FLOAT16, BFLOAT16, integer or BOOL tensors.");
            nodes[i] = builder.NodeOf(value);
            outputs[i] = new ImportedTensorInfo(info.Name, type, value.Shape);
        }
        builder.Model.SetOutputs(nodes);
        return outputs;
    }

    /// <summary>
    /// ONNX inference semantics in both passes: BatchNorm uses its running statistics and Dropout is the identity even
    /// in the training-mode forward that <see cref="ImportedModel.Gradients"/> runs (it records max-pool winners and
    /// LRN denominators for backward). BatchNorm scale and shift stay trainable so their gradients, and through them
    /// those of the running statistics, are computed.
    /// </summary>
    private static void FreezeForInference(Model model, GraphBuilder builder)
    {
        var bound = new HashSet<Parameter>(builder.Bindings.SelectMany(b => b.Shards));
        foreach (Layer layer in model.Layers)
        {
            if (layer is not (BatchNormLayer or DropoutLayer)) continue;
            layer.Frozen = true;
            if (layer is BatchNormLayer bn)
            {
                bn.Scale.Trainable = true;
                bn.Shift.Trainable = true;
            }
        }
        foreach (Parameter p in model.Parameters) if (bound.Contains(p)) p.Trainable = true;
    }
}
