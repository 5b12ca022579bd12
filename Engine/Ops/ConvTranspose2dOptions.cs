namespace VisionPlugin.Engine;

/// <summary>
/// Hyper-parameters of a transposed 2-D convolution (PyTorch ConvTranspose2d, ONNX ConvTranspose). The kernel
/// size comes from the weight tensor [inChannels, outChannels / Groups, kernelH, kernelW]. Stride, dilation,
/// padding and groups mean what they mean for the <see cref="Conv2d"/> whose input gradient this op is;
/// <see cref="OutputPaddingH"/>/<see cref="OutputPaddingW"/> add rows/columns at the bottom/right of the output
/// (they pick among the output sizes that map back to the same input size when stride &gt; 1). Immutable.
/// </summary>
public sealed record ConvTranspose2dOptions
{
    public int StrideH { get; init; } = 1;
    public int StrideW { get; init; } = 1;
    public int DilationH { get; init; } = 1;
    public int DilationW { get; init; } = 1;
    /// <summary>Removed from each side of the full output (ONNX pads [top, left, bottom, right]).</summary>
    public Padding2d Padding { get; init; }
    /// <summary>Extra rows at the bottom of the output; must be smaller than the stride or the dilation (PyTorch's rule).</summary>
    public int OutputPaddingH { get; init; }
    /// <summary>Extra columns at the right of the output; must be smaller than the stride or the dilation.</summary>
    public int OutputPaddingW { get; init; }
    /// <summary>Channel groups: 1 = dense, inChannels = depthwise.</summary>
    public int Groups { get; init; } = 1;

    public static ConvTranspose2dOptions Default { get; } = new();

    /// <summary>Square stride, symmetric padding and equal output padding, the common case.</summary>
    public static ConvTranspose2dOptions Create(int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1, int groups = 1) => new()
    {
        StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation,
        Padding = Padding2d.All(padding), OutputPaddingH = outputPadding, OutputPaddingW = outputPadding, Groups = groups,
    };

    public override string ToString() =>
        $"stride {StrideH}x{StrideW}, dilation {DilationH}x{DilationW}, {Padding}, output padding {OutputPaddingH}x{OutputPaddingW}, groups {Groups}";
}
