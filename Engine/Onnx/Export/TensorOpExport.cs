using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Layers without a window or a matrix product: normalization (<c>BatchNormalization</c> with the running
/// statistics, <c>LRN</c>), shape ops (<c>Flatten</c>, <c>Reshape</c>, <c>Pad</c>, <c>Concat</c>), the broadcasting
/// arithmetic (<c>Add</c>/<c>Sum</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c>, <c>Max</c>, <c>Min</c>, <c>Pow</c>), <c>Softmax</c>/<c>LogSoftmax</c> and dropout
/// (the identity at inference).
/// </summary>
internal static class TensorOpExport
{
    /// <summary>
    /// BatchNormalization(X, scale, B, mean, var) in inference form: y = (x - mean) / sqrt(var + epsilon) * scale + B,
    /// with the layer's weight/bias and running_mean/running_var under their own names. ONNX's momentum weighs the old
    /// running value (the engine's weighs the new batch), so it is written as 1 - momentum; inference ignores it.
    /// </summary>
    public static void BatchNorm(LayerExport e, BatchNormLayer layer)
    {
        IReadOnlyList<(string Name, Tensor Tensor)> buffers = layer.Buffers;   // running_mean, running_var
        e.Node("BatchNormalization",
            [e.Input, e.Weight(layer.Scale), e.Weight(layer.Shift), e.Buffer(buffers[0].Name, buffers[0].Tensor), e.Buffer(buffers[1].Name, buffers[1].Tensor)],
            OnnxAttribute.OfFloat("epsilon", layer.Options.Epsilon),
            OnnxAttribute.OfFloat("momentum", 1f - layer.Options.Momentum));
    }

    /// <summary>LRN(size, alpha, beta, bias): alpha is divided by size in ONNX as in the engine.</summary>
    public static void Lrn(LayerExport e, LrnLayer layer)
    {
        LrnOptions o = layer.Options;
        e.Node("LRN", [e.Input], OnnxAttribute.OfInt("size", o.Size), OnnxAttribute.OfFloat("alpha", o.Alpha),
            OnnxAttribute.OfFloat("beta", o.Beta), OnnxAttribute.OfFloat("bias", o.Bias));
    }

    /// <summary>Flatten(axis): the same rule, negative axes included.</summary>
    public static void Flatten(LayerExport e, FlattenLayer layer) => e.Node("Flatten", [e.Input], OnnxAttribute.OfInt("axis", layer.Axis));

    /// <summary>
    /// Reshape(x, shape) with shape [0, d1, ..., dk]: 0 copies the batch size from the input (opset 13 has no
    /// allowzero), and the per-sample sizes are the resolved ones (a -1 already inferred), so the graph serves any batch.
    /// </summary>
    public static void Reshape(LayerExport e)
    {
        long[] sample = LayerExport.Dims(e.OutputShape)[1..];
        if (sample.Any(d => d == 0))
            throw e.Refuse($"ONNX Reshape (opset 13) reads 0 as 'copy the input size'; the output {e.OutputShape} has an empty axis.");
        e.Node("Reshape", [e.Input, e.Int64s("shape", [0, .. sample])]);
    }

    /// <summary>
    /// Pad(x, pads, value) on the last two axes, pads [0.., top, left, 0.., bottom, right]; negative amounts crop, as
    /// in the engine. Mode constant (with its value), reflect or edge.
    /// </summary>
    public static void Pad(LayerExport e, Pad2dLayer layer)
    {
        Pad2dOptions o = layer.Options;
        int rank = e.InputShape.Rank;
        var pads = new long[2 * rank];
        pads[rank - 2] = o.Padding.Top;
        pads[rank - 1] = o.Padding.Left;
        pads[2 * rank - 2] = o.Padding.Bottom;
        pads[2 * rank - 1] = o.Padding.Right;
        string padsName = e.Int64s("pads", pads);
        switch (o.Mode)
        {
            case PadMode.Constant:
                e.Node("Pad", [e.Input, padsName, e.Scalar("value", o.Value)], OnnxAttribute.OfString("mode", "constant"));
                break;
            case PadMode.Reflect: e.Node("Pad", [e.Input, padsName], OnnxAttribute.OfString("mode", "reflect")); break;
            case PadMode.Edge: e.Node("Pad", [e.Input, padsName], OnnxAttribute.OfString("mode", "edge")); break;
            default: throw e.Refuse($"pad mode {o.Mode} has no ONNX mapping.");
        }
    }

    /// <summary>Concat(axis) of every input.</summary>
    public static void Concat(LayerExport e, ConcatLayer layer) => e.Node("Concat", e.Inputs, OnnxAttribute.OfInt("axis", layer.Axis));

    /// <summary>Add for two inputs (broadcasting), Sum for more (same shapes).</summary>
    public static void Add(LayerExport e) => e.Node(e.Inputs.Count == 2 ? "Add" : "Sum", e.Inputs);

    /// <summary>Sub, Mul, Div, Max, Min or Pow with NumPy broadcasting, as the engine's.</summary>
    public static void Binary(LayerExport e, BinaryElementwiseLayer layer)
    {
        string op = layer.Operator switch
        {
            BinaryOperator.Add => "Add",
            BinaryOperator.Sub => "Sub",
            BinaryOperator.Mul => "Mul",
            BinaryOperator.Div => "Div",
            BinaryOperator.Max => "Max",
            BinaryOperator.Min => "Min",
            BinaryOperator.Pow => "Pow",
            _ => throw e.Refuse($"operator {layer.Operator} has no ONNX mapping."),
        };
        e.Node(op, e.Inputs);
    }

    /// <summary>Softmax or LogSoftmax along one axis (opset 13 semantics: a single axis, not the flattened tail).</summary>
    public static void Softmax(LayerExport e, SoftmaxLayer layer) =>
        e.Node(layer.Logarithm ? "LogSoftmax" : "Softmax", [e.Input], OnnxAttribute.OfInt("axis", layer.Axis));

    /// <summary>Inverted dropout is the identity at inference; the export is an inference graph.</summary>
    public static void Dropout(LayerExport e) => e.Node("Identity", [e.Input]);
}
