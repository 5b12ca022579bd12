namespace VisionPlugin.Engine;

/// <summary>
/// Window arithmetic shared by the windowed pooling ops: output size, validation of options and
/// tensor shapes at the public boundary, and the uniforms every pooling shader reads.
/// Output (oy, ox) reads input rows oy*strideH - padTop + ky*dilationH (ky in [0, KernelH)) and
/// columns ox*strideW - padLeft + kx*dilationW; taps outside the image are padding.
/// </summary>
public static class Pool2dGeometry
{
    /// <summary>
    /// Output length along one axis, following PyTorch's <c>pooling_output_shape</c> with separate pads:
    /// span = I + padBefore + padAfter - dilation*(kernel-1) - 1; O = floor(span / stride) + 1, or in ceil mode
    /// O = ceil(span / stride) + 1 and then O -= 1 when (O-1)*stride >= I + padBefore (the last window would
    /// start in the after-padding). Zero or less means the kernel does not fit.
    /// </summary>
    public static int OutputSize(int input, int kernel, int stride, int dilation, int padBefore, int padAfter, bool ceilMode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        int span = input + padBefore + padAfter - dilation * (kernel - 1) - 1;
        int output = FloorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && output > 0 && (output - 1) * stride >= input + padBefore) output--;
        return Math.Max(0, output);
    }

    /// <summary>Validates input and options for <paramref name="op"/> and returns [N, C, OH, OW].</summary>
    internal static TensorShape OutputShape(string op, TensorShape input, Pool2dOptions options, bool dilationSupported)
    {
        ArgumentNullException.ThrowIfNull(options);
        Pool2dOptions o = options;
        if (input.Rank != 4) throw new ArgumentException($"{op} expects an NCHW input; got {input}.", nameof(input));
        if (o.KernelH < 1 || o.KernelW < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"{op} kernel must be at least 1x1; got {o.KernelH}x{o.KernelW}.");
        if (o.StrideH < 1 || o.StrideW < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"{op} stride must be >= 1; got {o.StrideH}x{o.StrideW}.");
        if (o.DilationH < 1 || o.DilationW < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"{op} dilation must be >= 1; got {o.DilationH}x{o.DilationW}.");
        if (!dilationSupported && (o.DilationH != 1 || o.DilationW != 1))
            throw new ArgumentException($"{op} does not support dilation; got {o.DilationH}x{o.DilationW}.", nameof(options));
        Padding2d p = o.Padding;
        if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"{op} padding must be >= 0; got {p}.");
        int outH = OutputSize(input.H, o.KernelH, o.StrideH, o.DilationH, p.Top, p.Bottom, o.CeilMode);
        int outW = OutputSize(input.W, o.KernelW, o.StrideW, o.DilationW, p.Left, p.Right, o.CeilMode);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"{op} window ({o}) does not fit input {input} (output would be {outH}x{outW}).", nameof(input));
        int row = FirstWindowOutsideImage(input.H, outH, o.KernelH, o.StrideH, o.DilationH, p.Top);
        int column = FirstWindowOutsideImage(input.W, outW, o.KernelW, o.StrideW, o.DilationW, p.Left);
        if (row >= 0 || column >= 0)
            throw new ArgumentException(
                $"{op} window at output {(row >= 0 ? $"row {row}" : $"column {column}")} lies entirely in padding for input {input} " +
                $"({o}); every window must overlap the image, so reduce the padding.", nameof(options));
        return new TensorShape(input.N, input.C, outH, outW);
    }

    /// <summary>Throws when <paramref name="actual"/> is not the shape the op needs, naming both and the input.</summary>
    internal static void RequireShape(string op, string name, TensorShape actual, TensorShape expected, TensorShape input, Pool2dOptions o)
    {
        if (actual != expected)
            throw new ArgumentException($"{op} {name} must be {expected} for input {input} ({o}); got {actual}.", name);
    }

    /// <summary>Sets the shape and window uniforms every pooling shader declares.</summary>
    internal static ComputeProgram SetWindow(ComputeProgram program, TensorShape input, TensorShape output, Pool2dOptions o) =>
        program.Set("N", input.N).Set("C", input.C).Set("H", input.H).Set("W", input.W)
            .Set("OH", output.H).Set("OW", output.W)
            .Set("KH", o.KernelH).Set("KW", o.KernelW)
            .Set("strideH", o.StrideH).Set("strideW", o.StrideW)
            .Set("dilationH", o.DilationH).Set("dilationW", o.DilationW)
            .Set("padTop", o.Padding.Top).Set("padLeft", o.Padding.Left)
            .Set("padBottom", o.Padding.Bottom).Set("padRight", o.Padding.Right);

    /// <summary>The first output index along an axis whose taps o*stride - padBefore + k*dilation all miss [0, input); -1 if none.</summary>
    private static int FirstWindowOutsideImage(int input, int output, int kernel, int stride, int dilation, int padBefore)
    {
        for (int o = 0; o < output; o++)
        {
            bool touches = false;
            for (int k = 0; k < kernel && !touches; k++)
            {
                int i = o * stride - padBefore + k * dilation;
                touches = i >= 0 && i < input;
            }
            if (!touches) return o;
        }
        return -1;
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
