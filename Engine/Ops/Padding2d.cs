namespace VisionPlugin.Engine;

/// <summary>
/// Zero padding given per side. TensorFlow/Keras "same" padding with an even total pads one more
/// at the bottom/right (ONNX pads [top, left, bottom, right] = [0,0,1,1] for a 3x3 stride-2 conv
/// on an even input), so the sides are independent.
/// </summary>
public readonly record struct Padding2d(int Top, int Left, int Bottom, int Right)
{
    public static Padding2d None => default;

    /// <summary>The same padding on every side.</summary>
    public static Padding2d All(int p) => new(p, p, p, p);

    /// <summary><paramref name="h"/> above and below, <paramref name="w"/> left and right.</summary>
    public static Padding2d Symmetric(int h, int w) => new(h, w, h, w);

    /// <summary>
    /// TensorFlow "SAME" (ONNX auto_pad SAME_UPPER): output = ceil(input / stride); any odd extra
    /// row or column goes to the bottom/right.
    /// </summary>
    public static Padding2d Same(int inputH, int inputW, int kernelH, int kernelW, int strideH, int strideW, int dilationH = 1, int dilationW = 1)
    {
        (int top, int bottom) = SameAxis(inputH, kernelH, strideH, dilationH);
        (int left, int right) = SameAxis(inputW, kernelW, strideW, dilationW);
        return new Padding2d(top, left, bottom, right);
    }

    private static (int Before, int After) SameAxis(int input, int kernel, int stride, int dilation)
    {
        int output = (input + stride - 1) / stride;
        int effectiveKernel = (kernel - 1) * dilation + 1;
        int total = Math.Max(0, (output - 1) * stride + effectiveKernel - input);
        return (total / 2, total - total / 2);
    }

    public override string ToString() => $"pad(t{Top},l{Left},b{Bottom},r{Right})";
}
