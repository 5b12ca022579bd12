namespace VisionPlugin.Engine;

/// <summary>
/// Hyper-parameters of a 2-D convolution (the kernel size comes from the weight tensor
/// [outChannels, inChannels / Groups, kernelH, kernelW]). Immutable.
/// </summary>
public sealed record Conv2dOptions
{
    public int StrideH { get; init; } = 1;
    public int StrideW { get; init; } = 1;
    public int DilationH { get; init; } = 1;
    public int DilationW { get; init; } = 1;
    public Padding2d Padding { get; init; }
    /// <summary>Channel groups: 1 = dense, inChannels = depthwise.</summary>
    public int Groups { get; init; } = 1;

    public static Conv2dOptions Default { get; } = new();

    /// <summary>Square stride and symmetric padding, the common case.</summary>
    public static Conv2dOptions Create(int stride = 1, int padding = 0, int dilation = 1, int groups = 1) => new()
    {
        StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation,
        Padding = Padding2d.All(padding), Groups = groups,
    };

    public override string ToString() =>
        $"stride {StrideH}x{StrideW}, dilation {DilationH}x{DilationW}, {Padding}, groups {Groups}";
}
