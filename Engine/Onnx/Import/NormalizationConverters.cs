using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// BatchNormalization (inference: the running statistics; BatchNorm2d for [N,C,H,W], BatchNorm1d for [N,C] and
/// [N,C,L], higher ranks viewed as [N,C,L]), InstanceNormalization (normalization layer, then the per-channel scale
/// and shift as Mul and Add with constant operands) and LRN. Scale, bias, mean and variance must be constants.
/// </summary>
internal static class NormalizationConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["BatchNormalization"] = BatchNormalization;
        table["InstanceNormalization"] = InstanceNormalization;
        table["LRN"] = Lrn;
    }

    private static void BatchNormalization(GraphBuilder b)
    {
        for (int k = 1; k < b.Node.Outputs.Count; k++)
            if (b.Node.Outputs[k].Length > 0) throw b.Error($"training outputs (here '{b.Node.Outputs[k]}') are not supported; the importer runs inference semantics.");
        NodeAttributes a = b.Attributes();
        if (b.Opset < 9 && a.Int("spatial", 1) == 0) throw b.Error("spatial = 0 (statistics per activation, not per channel) is not supported.");
        ImportValue x = b.RequireInput(0, "X");
        ConstantValue scale = b.RequireConstant(1, "scale"), shift = b.RequireConstant(2, "B");
        ConstantValue mean = b.RequireConstant(3, "mean"), variance = b.RequireConstant(4, "var");
        TensorShape xs = x.Shape;
        if (xs.Rank < 2) throw b.Error($"input {xs} needs a channel axis.");
        int channels = xs[1];
        foreach (ConstantValue c in new[] { scale, shift, mean, variance })
            if (c.Count != channels) throw b.Error($"'{c.Name}' {c.Shape} must hold {channels} values, one per channel of input {xs}.");
        var options = new BatchNormOptions { Epsilon = a.Float("epsilon", 1e-5f), Momentum = 1f - Math.Clamp(a.Float("momentum", 0.9f), 0f, 1f) };
        int node = b.NodeOf(x);
        BatchNormLayer layer;
        if (xs.Rank == 4) layer = new BatchNorm2dLayer(b.Context, b.LayerName(), channels, options);
        else
        {
            if (xs.Rank > 3) node = b.Reshape(node, new TensorShape(xs[0], channels, xs.ElementCount / Math.Max(1, xs[0] * channels)), "as1d");
            layer = new BatchNorm1dLayer(b.Context, b.LayerName(), channels, options);
        }
        node = b.Add(layer, node);
        b.BindParameters([layer.Scale], scale, scale.AsFloats(), null, 1f);
        b.BindParameters([layer.Shift], shift, shift.AsFloats(), null, 1f);
        float[] varianceValues = variance.AsFloats();
        layer.RunningMean.Upload(mean.AsFloats());
        layer.RunningVariance.Upload(varianceValues);
        if (mean.Origin is not null || variance.Origin is not null)
            b.StatisticsBindings.Add(new BatchNormStatisticsBinding(layer, scale.AsFloats(), varianceValues, options.Epsilon, mean.Origin, variance.Origin));
        b.SetOutput(b.Reshape(node, xs, "unview"));
    }

    private static void InstanceNormalization(GraphBuilder b)
    {
        ImportValue x = b.RequireInput(0, "input");
        ConstantValue scale = b.RequireConstant(1, "scale"), shift = b.RequireConstant(2, "B");
        TensorShape xs = x.Shape;
        if (xs.Rank < 3) throw b.Error($"input {xs} needs spatial axes.");
        int channels = xs[1];
        if (scale.Count != channels || shift.Count != channels) throw b.Error($"scale {scale.Shape} and B {shift.Shape} must hold {channels} values.");
        int node = b.Add(new InstanceNormLayer(b.LayerName("normalize"), b.Attributes().Float("epsilon", 1e-5f)), b.NodeOf(x));
        // y = scale[c] * xhat + B[c]: per-channel operands shaped [C, 1, ...] broadcast over N and the spatial axes.
        var perChannel = new TensorShape([channels, .. Enumerable.Repeat(1, xs.Rank - 2)]);
        ImportValue normalized = new RuntimeValue(b.Output() + "/normalized", xs, OnnxDataType.Float, node);
        ImportValue scaled = ElementwiseConverters.Combine(b, BinaryOperator.Mul, normalized, scale.Reshaped(scale.Name + "/per_channel", perChannel), "scale");
        b.Alias(ElementwiseConverters.Combine(b, BinaryOperator.Add, scaled, shift.Reshaped(shift.Name + "/per_channel", perChannel), null));
    }

    private static void Lrn(GraphBuilder b)
    {
        ImportValue x = b.RequireInput(0, "X");
        NodeAttributes a = b.Attributes();
        var options = new LrnOptions
        {
            Size = b.ToInt(a.OptionalInt("size") ?? throw b.Error("needs 'size'."), "size"),
            Alpha = a.Float("alpha", 1e-4f), Beta = a.Float("beta", 0.75f), Bias = a.Float("bias", 1f),
        };
        TensorShape xs = x.Shape;
        if (xs.Rank < 2) throw b.Error($"input {xs} needs a channel axis.");
        TensorShape view = xs.Rank == 4 ? xs : new TensorShape(xs[0], xs[1], 1, xs.ElementCount / Math.Max(1, xs[0] * xs[1]));
        int node = b.Reshape(b.NodeOf(x), view, "as4d");
        node = b.Add(new LrnLayer(b.LayerName(), options), node);
        b.SetOutput(b.Reshape(node, xs, "unview"));
    }
}
