using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Conv and ConvTranspose over one or two spatial axes (1-D runs as 2-D with height 1: [N,C,L] is viewed as
/// [N,C,1,L] and the weight [K,C,k] as [K,C,1,k]). The weight and bias must be constants; they become the layer's
/// parameters, named after their initializers. Strides, dilations, pads, group and auto_pad follow the ONNX
/// defaults; ConvTranspose also takes output_padding and output_shape.
/// </summary>
internal static class ConvolutionConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Conv"] = b => Convert(b, transposed: false);
        table["ConvTranspose"] = b => Convert(b, transposed: true);
    }

    private static void Convert(GraphBuilder b, bool transposed)
    {
        ImportValue x = b.RequireInput(0, "X");
        ConstantValue w = b.RequireConstant(1, "W");
        ConstantValue? bias = b.Input(2) is null ? null : b.RequireConstant(2, "B");
        TensorShape xs = x.Shape, ws = w.Shape;
        int spatial = xs.Rank - 2;
        if (spatial is < 1 or > 2) throw b.Error($"input {xs}: only 1-D and 2-D convolutions are supported ({spatial}-D given).");
        if (ws.Rank != xs.Rank) throw b.Error($"weight {ws} must have the input's rank {xs.Rank}.");
        NodeAttributes a = b.Attributes();
        int group = b.ToInt(a.Int("group", 1), "group");
        int[] kernel = ws.Dimensions[2..].ToArray();
        if (a.SmallInts("kernel_shape") is { } declared && !declared.SequenceEqual(kernel))
            throw b.Error($"kernel_shape [{string.Join(",", declared)}] disagrees with weight {ws}.");
        int[] strides = b.PerAxis("strides", spatial, 1), dilations = b.PerAxis("dilations", spatial, 1);
        int[] input = xs.Dimensions[2..].ToArray();
        int channels = xs[1];
        int outChannels = transposed ? ws[1] * group : ws[0];
        if (group < 1 || channels % group != 0 || (transposed ? ws[0] != channels : ws[1] * group != channels))
            throw b.Error($"weight {ws} with group {group} does not fit input {xs} ({channels} channels).");
        if (bias is not null && bias.Count != outChannels) throw b.Error($"bias {bias.Shape} must have {outChannels} values.");

        // 1-D: pad every per-axis list with a leading height entry of size 1.
        int[] Two(int[] values, int fill) => spatial == 2 ? values : [fill, .. values];
        (int Begin, int End)[] pads = transposed ? TransposedPads(b, input, kernel, strides, dilations) : b.AutoPads(input, kernel, strides, dilations);
        if (spatial == 1) pads = [(0, 0), .. pads];
        int[] k2 = Two(kernel, 1), s2 = Two(strides, 1), d2 = Two(dilations, 1);
        var padding = new Padding2d(pads[0].Begin, pads[1].Begin, pads[0].End, pads[1].End);
        int node = b.NodeOf(x);
        if (spatial == 1) node = b.Reshape(node, new TensorShape(xs[0], channels, 1, xs[2]), "as2d");

        Layer layer;
        Parameter weight;
        Parameter? biasParameter;
        if (transposed)
        {
            int[] outputPadding = Two(OutputPadding(b, spatial), 0);
            var options = new ConvTranspose2dOptions
            {
                StrideH = s2[0], StrideW = s2[1], DilationH = d2[0], DilationW = d2[1], Padding = padding,
                OutputPaddingH = outputPadding[0], OutputPaddingW = outputPadding[1], Groups = group,
            };
            var convT = new ConvTranspose2dLayer(b.Context, b.LayerName(), channels, outChannels, k2[0], k2[1], options, bias: bias is not null, weightInit: Initializer.Zeros());
            (layer, weight, biasParameter) = (convT, convT.Weight, convT.Bias);
        }
        else
        {
            var options = new Conv2dOptions { StrideH = s2[0], StrideW = s2[1], DilationH = d2[0], DilationW = d2[1], Padding = padding, Groups = group };
            var conv = new Conv2dLayer(b.Context, b.LayerName(), channels, outChannels, k2[0], k2[1], options, bias: bias is not null, weightInit: Initializer.Zeros());
            (layer, weight, biasParameter) = (conv, conv.Weight, conv.Bias);
        }
        node = b.Add(layer, node);
        b.BindParameters([weight], w, w.AsFloats(), null, 1f);
        if (bias is not null) b.BindParameters([biasParameter!], bias, bias.AsFloats(), null, 1f);
        TensorShape y = b.ShapeOf(node);
        if (spatial == 1) node = b.Reshape(node, new TensorShape(y[0], y[1], y[3]), "as1d");
        b.SetOutput(node);
    }

    private static int[] OutputPadding(GraphBuilder b, int spatial)
    {
        int[] values = b.Attributes().SmallInts("output_padding") ?? new int[spatial];
        if (values.Length != spatial || values.Any(v => v < 0))
            throw b.Error($"output_padding [{string.Join(",", values)}] needs {spatial} sizes >= 0.");
        return values;
    }

    /// <summary>
    /// ConvTranspose padding: with output_shape, total_padding = stride * (in - 1) + output_padding + (k - 1) * d + 1 - out
    /// is split as auto_pad says (SAME_UPPER: the odd extra at the end; otherwise at the beginning); else auto_pad SAME_*
    /// targets out = in * stride, VALID pads nothing and NOTSET reads 'pads'.
    /// </summary>
    private static (int Begin, int End)[] TransposedPads(GraphBuilder b, int[] input, int[] kernel, int[] strides, int[] dilations)
    {
        NodeAttributes a = b.Attributes();
        string autoPad = a.String("auto_pad", "NOTSET");
        int n = input.Length;
        int[] outputPadding = OutputPadding(b, n);
        int[]? outputShape = a.SmallInts("output_shape");
        if (outputShape is not null && outputShape.Length > n) outputShape = outputShape[^n..];   // [N, C, H, W] written in full
        if (outputShape is not null && outputShape.Length != n)
            throw b.Error($"output_shape [{string.Join(",", outputShape)}] needs {n} spatial sizes.");
        if (outputShape is null && autoPad is "NOTSET" or "" or "VALID") return autoPad == "VALID" ? new (int, int)[n] : b.Pads(n);
        var pads = new (int, int)[n];
        for (int d = 0; d < n; d++)
        {
            int target = outputShape?[d] ?? input[d] * strides[d];
            int total = strides[d] * (input[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1 - target;
            if (total < 0) throw b.Error($"output_shape [{string.Join(",", outputShape ?? [])}] is larger than the transposed convolution can produce.");
            pads[d] = autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
        }
        return pads;
    }
}
