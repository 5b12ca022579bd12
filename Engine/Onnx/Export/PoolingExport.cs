using System.Globalization;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Windowed and global pooling: <c>MaxPool</c>, <c>AveragePool</c>, <c>LpPool</c>, <c>GlobalAveragePool</c>,
/// <c>GlobalMaxPool</c>. Pads are [top, left, bottom, right]; the engine's output-size rule (PyTorch's, with the
/// last ceil-mode window dropped when it would start in the padding) is ONNX Runtime's as well.
/// </summary>
internal static class PoolingExport
{
    /// <summary>MaxPool with kernel_shape, strides, pads, dilations and ceil_mode (padding never wins a max).</summary>
    public static void Max(LayerExport e, MaxPool2dLayer layer)
    {
        Pool2dOptions o = layer.Options;
        e.Node("MaxPool", [e.Input], [.. Window(o), OnnxAttribute.OfInts("dilations", o.DilationH, o.DilationW),
            OnnxAttribute.OfInt("ceil_mode", o.CeilMode ? 1 : 0)]);
    }

    /// <summary>
    /// AveragePool with ceil_mode and count_include_pad: include-pad divides by the window taps inside the padded
    /// image (PyTorch's default), exclude-pad by the taps inside the image (ONNX's default). No dilation at opset 13
    /// (the engine has none either).
    /// </summary>
    public static void Average(LayerExport e, AvgPool2dLayer layer)
    {
        Pool2dOptions o = layer.Options;
        e.Node("AveragePool", [e.Input], [.. Window(o), OnnxAttribute.OfInt("ceil_mode", o.CeilMode ? 1 : 0),
            OnnxAttribute.OfInt("count_include_pad", o.CountIncludePad ? 1 : 0)]);
    }

    /// <summary>
    /// LpPool with an integer p. Opset 13's LpPool has no ceil_mode and no dilations: ceil mode is written as extra
    /// bottom/right padding (padding adds |0|^p = 0 to a window, so the values are the same and floor rounding then
    /// gives the ceil-mode size); dilation is refused.
    /// </summary>
    public static void Lp(LayerExport e, LpPool2dLayer layer)
    {
        Pool2dOptions o = layer.Options;
        if (o.DilationH != 1 || o.DilationW != 1)
            throw e.Refuse($"ONNX LpPool has no dilations before opset 18; the layer uses dilation {o.DilationH}x{o.DilationW}.");
        if (layer.P != MathF.Round(layer.P))
            throw e.Refuse($"ONNX LpPool takes an integer p; the layer uses p = {layer.P.ToString("G9", CultureInfo.InvariantCulture)}.");
        Padding2d pads = o.Padding;
        if (o.CeilMode)
        {
            // Floor rounding gives O windows when I + padBefore + padAfter >= (O - 1) * stride + kernel.
            int bottom = Math.Max(pads.Bottom, (e.OutputShape.H - 1) * o.StrideH + o.KernelH - e.InputShape.H - pads.Top);
            int right = Math.Max(pads.Right, (e.OutputShape.W - 1) * o.StrideW + o.KernelW - e.InputShape.W - pads.Left);
            pads = pads with { Bottom = bottom, Right = right };
        }
        e.Node("LpPool", [e.Input], [.. Window(o with { Padding = pads, CeilMode = false }), OnnxAttribute.OfInt("p", (long)layer.P)]);
    }

    /// <summary>GlobalAveragePool: [N, C, H, W] -> [N, C, 1, 1].</summary>
    public static void GlobalAverage(LayerExport e) => e.Node("GlobalAveragePool", [e.Input]);

    /// <summary>GlobalMaxPool: [N, C, H, W] -> [N, C, 1, 1].</summary>
    public static void GlobalMax(LayerExport e) => e.Node("GlobalMaxPool", [e.Input]);

    private static OnnxAttribute[] Window(Pool2dOptions o) =>
    [
        OnnxAttribute.OfInts("kernel_shape", o.KernelH, o.KernelW),
        OnnxAttribute.OfInts("strides", o.StrideH, o.StrideW),
        OnnxAttribute.OfInts("pads", o.Padding.Top, o.Padding.Left, o.Padding.Bottom, o.Padding.Right),
    ];
}
