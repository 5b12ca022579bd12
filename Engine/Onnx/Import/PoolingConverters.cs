using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// MaxPool, AveragePool, LpPool (1-D as 2-D with height 1) and GlobalAveragePool, GlobalMaxPool (any spatial rank,
/// viewed as [N, C, 1, H*W*...]). Attributes: kernel_shape, strides, pads, auto_pad, dilations (max and Lp),
/// ceil_mode, count_include_pad (average, default 0 as in ONNX), p (Lp, default 2). MaxPool's Indices output is not
/// produced.
/// </summary>
internal static class PoolingConverters
{
    private enum Kind { Max, Average, Lp }

    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["MaxPool"] = b => Pool(b, Kind.Max);
        table["AveragePool"] = b => Pool(b, Kind.Average);
        table["LpPool"] = b => Pool(b, Kind.Lp);
        table["GlobalAveragePool"] = b => Global(b, max: false);
        table["GlobalMaxPool"] = b => Global(b, max: true);
    }

    private static void Pool(GraphBuilder b, Kind kind)
    {
        if (b.Node.Outputs.Count > 1 && b.Node.Outputs[1].Length > 0)
            throw b.Error($"the Indices output ('{b.Node.Outputs[1]}') is not supported.");
        ImportValue x = b.RequireInput(0, "X");
        TensorShape xs = x.Shape;
        int spatial = xs.Rank - 2;
        if (spatial is < 1 or > 2) throw b.Error($"input {xs}: only 1-D and 2-D pooling is supported ({spatial}-D given).");
        NodeAttributes a = b.Attributes();
        int[] kernel = a.SmallInts("kernel_shape") ?? throw b.Error("needs 'kernel_shape'.");
        if (kernel.Length != spatial || kernel.Any(k => k < 1)) throw b.Error($"kernel_shape [{string.Join(",", kernel)}] does not fit input {xs}.");
        int[] strides = b.PerAxis("strides", spatial, 1), dilations = b.PerAxis("dilations", spatial, 1);
        int[] input = xs.Dimensions[2..].ToArray();
        (int Begin, int End)[] pads = b.AutoPads(input, kernel, strides, dilations);
        int[] Two(int[] values, int fill) => spatial == 2 ? values : [fill, .. values];
        int[] k2 = Two(kernel, 1), s2 = Two(strides, 1), d2 = Two(dilations, 1);
        if (spatial == 1) pads = [(0, 0), .. pads];
        var options = new Pool2dOptions
        {
            KernelH = k2[0], KernelW = k2[1], StrideH = s2[0], StrideW = s2[1], DilationH = d2[0], DilationW = d2[1],
            Padding = new Padding2d(pads[0].Begin, pads[1].Begin, pads[0].End, pads[1].End),
            CeilMode = a.Int("ceil_mode", 0) != 0,
            CountIncludePad = a.Int("count_include_pad", 0) != 0,
        };
        int node = b.NodeOf(x);
        if (spatial == 1) node = b.Reshape(node, new TensorShape(xs[0], xs[1], 1, xs[2]), "as2d");
        Layer layer = kind switch
        {
            Kind.Max => new MaxPool2dLayer(b.LayerName(), options),
            Kind.Average => new AvgPool2dLayer(b.LayerName(), options),
            _ => new LpPool2dLayer(b.LayerName(), options, a.Float("p", 2f)),
        };
        node = b.Add(layer, node);
        TensorShape y = b.ShapeOf(node);
        if (spatial == 1) node = b.Reshape(node, new TensorShape(y[0], y[1], y[3]), "as1d");
        b.SetOutput(node);
    }

    private static void Global(GraphBuilder b, bool max)
    {
        ImportValue x = b.RequireInput(0, "X");
        TensorShape xs = x.Shape;
        if (xs.Rank < 3) throw b.Error($"input {xs} needs at least one spatial axis.");
        TensorShape view = xs.Rank == 4 ? xs : new TensorShape(xs[0], xs[1], 1, xs.ElementCount / Math.Max(1, xs[0] * xs[1]));
        int node = b.Reshape(b.NodeOf(x), view, "as2d");
        node = b.Add(max ? new GlobalMaxPoolLayer(b.LayerName()) : new GlobalAvgPoolLayer(b.LayerName()), node);
        b.SetOutput(b.Reshape(node, new TensorShape([xs[0], xs[1], .. Enumerable.Repeat(1, xs.Rank - 2)]), "unview"));
    }
}
