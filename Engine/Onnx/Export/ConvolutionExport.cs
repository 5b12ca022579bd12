using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// The layers with weights that multiply: convolutions (<c>Conv</c>, <c>ConvTranspose</c>) and fully connected
/// layers (<c>Gemm</c>). Weights keep the engine's layouts, which are ONNX's: Conv W [K, C/group, KH, KW],
/// ConvTranspose W [C, K/group, KH, KW], Gemm B [out, in] with transB = 1 (y = x W^T + b).
/// </summary>
internal static class ConvolutionExport
{
    /// <summary>Conv(X, W, B) with kernel_shape, strides, pads [top, left, bottom, right], dilations, group.</summary>
    public static void Conv(LayerExport e, Conv2dLayer layer)
    {
        string weight = e.Weight(layer.Weight);
        Conv(e, layer.Options, layer.Weight.Shape, weight, layer.Bias is null ? null : e.Weight(layer.Bias));
    }

    /// <summary>
    /// A weight-normalized convolution exports as a plain Conv with its effective weight w = g * v / ||v_k||
    /// (computed here in double from weight_v and weight_g, as the GPU computes it in float), stored as
    /// <c>{layer}.weight</c>; weight_v and weight_g themselves are training state and are not written.
    /// </summary>
    public static void WeightNormConv(LayerExport e, WeightNormConv2dLayer layer)
    {
        TensorShape shape = layer.Direction.Shape;
        float[] v = layer.Direction.Value.ToArray();
        float[] g = layer.Magnitude.Value.ToArray();
        int rows = shape[0], length = v.Length / rows;
        var w = new float[v.Length];
        for (int k = 0; k < rows; k++)
        {
            double sum = 0;
            for (int j = 0; j < length; j++) sum += (double)v[k * length + j] * v[k * length + j];
            double factor = g[k] / Math.Sqrt(sum);   // w[k, j] = g[k] * v[k, j] / ||v_k||
            for (int j = 0; j < length; j++) w[k * length + j] = (float)(v[k * length + j] * factor);
        }
        string weight = e.Floats("weight", LayerExport.Dims(shape), w);
        Conv(e, layer.Options, shape, weight, layer.Bias is null ? null : e.Weight(layer.Bias));
    }

    private static void Conv(LayerExport e, Conv2dOptions o, TensorShape weightShape, string weight, string? bias)
    {
        RequireNonNegative(e, o.Padding);
        e.Node("Conv", bias is null ? [e.Input, weight] : [e.Input, weight, bias],
            OnnxAttribute.OfInts("kernel_shape", weightShape[2], weightShape[3]),
            OnnxAttribute.OfInts("strides", o.StrideH, o.StrideW),
            OnnxAttribute.OfInts("pads", o.Padding.Top, o.Padding.Left, o.Padding.Bottom, o.Padding.Right),
            OnnxAttribute.OfInts("dilations", o.DilationH, o.DilationW),
            OnnxAttribute.OfInt("group", o.Groups));
    }

    /// <summary>
    /// ConvTranspose(X, W, B) with the same attributes as Conv plus output_padding [H, W]; the output size
    /// stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1 - pad_begin - pad_end is ONNX's and PyTorch's.
    /// </summary>
    public static void ConvTranspose(LayerExport e, ConvTranspose2dLayer layer)
    {
        ConvTranspose2dOptions o = layer.Options;
        RequireNonNegative(e, o.Padding);
        string weight = e.Weight(layer.Weight);
        string? bias = layer.Bias is null ? null : e.Weight(layer.Bias);
        TensorShape w = layer.Weight.Shape;
        e.Node("ConvTranspose", bias is null ? [e.Input, weight] : [e.Input, weight, bias],
            OnnxAttribute.OfInts("kernel_shape", w[2], w[3]),
            OnnxAttribute.OfInts("strides", o.StrideH, o.StrideW),
            OnnxAttribute.OfInts("pads", o.Padding.Top, o.Padding.Left, o.Padding.Bottom, o.Padding.Right),
            OnnxAttribute.OfInts("dilations", o.DilationH, o.DilationW),
            OnnxAttribute.OfInts("output_padding", o.OutputPaddingH, o.OutputPaddingW),
            OnnxAttribute.OfInt("group", o.Groups));
    }

    /// <summary>Gemm(x, W, b) with transB = 1: y[N, out] = x[N, in] W[out, in]^T + b.</summary>
    public static void Linear(LayerExport e, LinearLayer layer) => Gemm(e, layer.Weight, layer.Bias);

    /// <summary>
    /// DropConnect masks weights only in training; inference uses W unmasked, so it exports as Gemm with the
    /// weight itself. An input of rank above 2 ([N, ...]) is flattened to [N, IN] first, as the layer reads it.
    /// </summary>
    public static void DropConnectLinear(LayerExport e, DropConnectLinearLayer layer) => Gemm(e, layer.Weight, layer.Bias);

    private static void Gemm(LayerExport e, Parameter weight, Parameter? bias)
    {
        string input = e.InputShape.Rank == 2 ? e.Input : e.Helper("Flatten", [e.Input], OnnxAttribute.OfInt("axis", 1));
        string w = e.Weight(weight);
        string? b = bias is null ? null : e.Weight(bias);
        e.Node("Gemm", b is null ? [input, w] : [input, w, b],
            OnnxAttribute.OfFloat("alpha", 1f), OnnxAttribute.OfFloat("beta", 1f), OnnxAttribute.OfInt("transB", 1));
    }

    private static void RequireNonNegative(LayerExport e, Padding2d p)
    {
        if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0)
            throw e.Refuse($"ONNX convolution pads must be >= 0; got {p}.");
    }
}
