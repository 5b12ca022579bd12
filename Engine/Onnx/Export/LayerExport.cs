using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// One layer being exported: the value names it reads and must write, the shapes of its inputs and output for a
/// batch of one (ranks and per-sample sizes; the batch axis stays symbolic in the file) or, with fixed batch sizes
/// (<see cref="OnnxExportOptions.BatchSizes"/>), the real shapes, and helpers that add its
/// nodes and weights to the graph. The mapping functions (<see cref="ConvolutionExport"/>, ...) write through it.
/// </summary>
internal sealed class LayerExport(OnnxGraphBuilder graph, Layer layer, IReadOnlyList<string> inputs,
    IReadOnlyList<TensorShape> inputShapes, string output, TensorShape outputShape)
{
    public OnnxGraphBuilder Graph { get; } = graph;
    public Layer Layer { get; } = layer;
    /// <summary>Value names of the layer's inputs, in order.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;
    public IReadOnlyList<TensorShape> InputShapes { get; } = inputShapes;
    /// <summary>The value name the layer's result must have.</summary>
    public string Output { get; } = output;
    public TensorShape OutputShape { get; } = outputShape;

    /// <summary>The first (for unary layers: the only) input.</summary>
    public string Input => Inputs[0];
    public TensorShape InputShape => InputShapes[0];

    /// <summary>The node that writes the layer's output, named after the layer.</summary>
    public void Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Graph.AddNode(opType, Layer.Name, inputs, [Output], attributes);

    /// <summary>
    /// A helper node <c>{layer}/{opType}</c> writing a fresh intermediate value; returns that value's name.
    /// </summary>
    public string Helper(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string value = Graph.Unique($"{Layer.Name}/{opType}");
        Graph.AddNode(opType, $"{Layer.Name}/{opType}", inputs, [value], attributes);
        return value;
    }

    /// <summary>A parameter's values as an initializer under the parameter's own name; <paramref name="dims"/> reshapes it (same count).</summary>
    public string Weight(Parameter parameter, long[]? dims = null) =>
        Graph.AddReservedInitializer(parameter.Name, dims ?? Dims(parameter.Shape), parameter.Value.ToArray());

    /// <summary>A buffer (BatchNorm running statistics) as an initializer under its buffer name.</summary>
    public string Buffer(string name, Tensor tensor) => Graph.AddReservedInitializer(name, Dims(tensor.Shape), tensor.ToArray());

    /// <summary>A FLOAT initializer <c>{layer}.{suffix}</c> (made unique).</summary>
    public string Floats(string suffix, long[] dims, float[] values) => Graph.AddFloats($"{Layer.Name}.{suffix}", dims, values);

    /// <summary>A FLOAT scalar initializer <c>{layer}.{suffix}</c>.</summary>
    public string Scalar(string suffix, float value) => Graph.AddFloats($"{Layer.Name}.{suffix}", [], [value]);

    /// <summary>An INT64 vector initializer <c>{layer}.{suffix}</c>.</summary>
    public string Int64s(string suffix, params long[] values) => Graph.AddInt64s($"{Layer.Name}.{suffix}", [values.Length], values);

    /// <summary>The error for an option or layer ONNX cannot express; names the layer and its type.</summary>
    public OnnxExportException Refuse(string reason) => new(Layer.Name, Layer.GetType().Name, reason);

    public static long[] Dims(TensorShape shape)
    {
        var dims = new long[shape.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = shape[i];
        return dims;
    }
}
