namespace VisionPlugin.Engine;

/// <summary>
/// Hyper-parameters of a windowed 2-D pooling (max, average, Lp). Immutable.
/// Output size per axis (see <see cref="Pool2dGeometry.OutputSize"/>):
/// O = floor_or_ceil((I + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1,
/// and in ceil mode the last window is dropped when it would start in the bottom/right padding.
/// Every window must overlap the image: configurations with a window made only of padding are refused.
/// </summary>
public sealed record Pool2dOptions
{
    public required int KernelH { get; init; }
    public required int KernelW { get; init; }
    public int StrideH { get; init; } = 1;
    public int StrideW { get; init; } = 1;
    /// <summary>Per side; asymmetric padding (TensorFlow "same") is allowed. Padding never wins a max and adds 0 to a sum.</summary>
    public Padding2d Padding { get; init; }
    /// <summary>Spacing of the window taps: max and Lp pooling only; average pooling refuses values other than 1.</summary>
    public int DilationH { get; init; } = 1;
    public int DilationW { get; init; } = 1;
    /// <summary>Round the output size up instead of down (PyTorch <c>ceil_mode</c>); partial windows at the end are kept.</summary>
    public bool CeilMode { get; init; }
    /// <summary>
    /// Average pooling only: divide by the window taps inside the padded image (true, PyTorch's default)
    /// or only by those inside the image (false, ONNX's default). Ignored by max and Lp pooling.
    /// </summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>A square window; the stride defaults to the kernel (non-overlapping windows), as in PyTorch.</summary>
    public static Pool2dOptions Create(int kernel, int? stride = null, int padding = 0, int dilation = 1,
        bool ceilMode = false, bool countIncludePad = true) => new()
    {
        KernelH = kernel, KernelW = kernel,
        StrideH = stride ?? kernel, StrideW = stride ?? kernel,
        Padding = Padding2d.All(padding),
        DilationH = dilation, DilationW = dilation,
        CeilMode = ceilMode, CountIncludePad = countIncludePad,
    };

    public override string ToString() =>
        $"kernel {KernelH}x{KernelW}, stride {StrideH}x{StrideW}, dilation {DilationH}x{DilationW}, {Padding}, " +
        $"{(CeilMode ? "ceil" : "floor")} mode, {(CountIncludePad ? "count includes pad" : "count excludes pad")}";
}
