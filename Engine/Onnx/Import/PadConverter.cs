using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// ONNX Pad (constant, reflect, edge; negative pads crop) on the last two axes, which is what CNN graphs pad: the
/// tensor is viewed as [1, leading, H, W] for a <see cref="Pad2dLayer"/> and given its padded shape back. Pads as
/// attribute (before opset 11) or input, constant value as attribute or input, optional axes input (opset 18).
/// Padding another axis is refused with the pads named.
/// </summary>
internal static class PadConverter
{
    public static void Convert(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        TensorShape shape = input.Shape;
        int rank = shape.Rank;
        NodeAttributes a = b.Attributes();
        string mode = a.String("mode", "constant");
        float value;
        long[] pads;
        int[] axes;
        if (b.Opset < 11)
        {
            pads = a.Ints("pads") ?? a.Ints("paddings") ?? throw b.Error("needs the 'pads' attribute.");
            value = a.Float("value", 0f);
            axes = Enumerable.Range(0, rank).ToArray();
        }
        else
        {
            pads = b.IntegerList("", 1, "pads") ?? throw b.Error("needs the 'pads' input.");
            value = 0f;
            if (b.Input(2) is not null)
            {
                ConstantValue constant = b.RequireConstant(2, "constant_value");
                if (constant.Count != 1) throw b.Error($"constant_value must be one value; it has {constant.Count}.");
                value = constant.AsFloats()[0];
                b.NoteSetting(constant);
            }
            axes = (b.IntegerList("", 3, "axes") ?? Enumerable.Range(0, rank).Select(d => (long)d).ToArray())
                .Select(x => b.Axis(x, rank, "axes entry")).ToArray();
        }
        if (pads.Length != 2 * axes.Length)
            throw b.Error($"pads {ConvertHelpers.Format(pads)} must have 2 x {axes.Length} values for the padded axes of {shape}.");
        var begin = new int[rank];
        var end = new int[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = b.ToInt(pads[i], "pad");
            end[axes[i]] = b.ToInt(pads[i + axes.Length], "pad");
        }
        int[] padded = Enumerable.Range(0, rank).Where(d => begin[d] != 0 || end[d] != 0).ToArray();
        if (padded.Any(d => d < rank - 2))
            throw b.Error($"pads {ConvertHelpers.Format(pads)} pad axis {padded.First(d => d < rank - 2)} of {shape}; only the last two axes (height and width) can be padded.");
        PadMode padMode = mode switch
        {
            "constant" => PadMode.Constant,
            "reflect" => PadMode.Reflect,
            "edge" => PadMode.Edge,
            _ => throw b.Error($"mode '{mode}' is not supported (constant, reflect, edge)."),
        };
        if (padded.Length == 0)
        {
            b.Alias(input);
            return;
        }
        int h = rank >= 2 ? shape[rank - 2] : 1, w = shape[rank - 1];
        int leading = shape.ElementCount / Math.Max(1, h * w);
        var view = new TensorShape(1, leading, h, w);
        var padding = new Padding2d(rank >= 2 ? begin[rank - 2] : 0, begin[rank - 1], rank >= 2 ? end[rank - 2] : 0, end[rank - 1]);
        var options = new Pad2dOptions { Padding = padding, Mode = padMode, Value = value };
        int node = b.Reshape(b.NodeOf(input), view, "view");
        node = b.Add(new Pad2dLayer(b.LayerName(), options), node);
        int[] dims = shape.Dimensions.ToArray();
        for (int d = Math.Max(0, rank - 2); d < rank; d++) dims[d] += begin[d] + end[d];
        b.SetOutput(b.Reshape(node, new TensorShape(dims), "unview"));
    }
}
