using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// The layers an imported graph uses to hold and move values: a constant operand (<see cref="ConstantLayer"/>, its
/// parameter as an initializer), a whole-tensor reshape (<see cref="ReshapeToLayer"/>, <c>Reshape</c> to the full
/// fixed shape) and a constant-index gather (<see cref="IndexGatherLayer"/>: transpose, slice, split, tile, expand,
/// gather), written exactly as the engine computes it: <c>Reshape</c> to one axis, <c>Gather</c> of the index table
/// along axis 0, <c>Reshape</c> to the output shape.
/// </summary>
internal static class DataMovementExport
{
    /// <summary>Identity(value): the parameter's values as an initializer under its own name.</summary>
    public static void Constant(LayerExport e, ConstantLayer layer) => e.Node("Identity", [e.Weight(layer.Value)]);

    /// <summary>Reshape(x, shape) with every dimension given, the first axis included (the shapes are fixed).</summary>
    public static void ReshapeTo(LayerExport e) => e.Node("Reshape", [e.Input, FullShape(e, e.OutputShape)]);

    /// <summary>
    /// y[i] = x[index[i]]: Reshape(x, [-1]), Gather(flat, index, axis 0), Reshape(y, output shape). An index of -1
    /// (a zero, as padding writes) reads a 0 appended to the flattened input.
    /// </summary>
    public static void IndexGather(LayerExport e, IndexGatherLayer layer)
    {
        IndexMap map = layer.Map;
        ReadOnlySpan<int> index = map.Index;
        long zeroAt = map.Input.ElementCount;
        var table = new long[index.Length];
        bool readsZero = false;
        for (int i = 0; i < table.Length; i++)
        {
            readsZero |= index[i] < 0;
            table[i] = index[i] < 0 ? zeroAt : index[i];
        }
        string flat = e.Helper("Reshape", [e.Input, e.Int64s("flat", -1)]);
        if (readsZero) flat = e.Helper("Concat", [flat, e.Floats("zero", [1], [0f])], OnnxAttribute.OfInt("axis", 0));
        string gathered = e.Helper("Gather", [flat, e.Int64s("index", table)], OnnxAttribute.OfInt("axis", 0));
        e.Node("Reshape", [gathered, FullShape(e, map.Output)]);
    }

    /// <summary>An INT64 shape initializer; opset 13 reads a 0 in Reshape's shape as 'copy the input size', so empty axes are refused.</summary>
    private static string FullShape(LayerExport e, TensorShape shape)
    {
        long[] dims = LayerExport.Dims(shape);
        if (dims.Any(d => d == 0))
            throw e.Refuse($"ONNX Reshape (opset 13) reads 0 as 'copy the input size'; the output {shape} has an empty axis.");
        return e.Int64s("shape", dims);
    }
}
