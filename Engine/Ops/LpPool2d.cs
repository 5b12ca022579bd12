namespace VisionPlugin.Engine;

/// <summary>
/// 2-D Lp-norm pooling on the GPU, forward and backward, NCHW (ONNX LpPool; torch LPPool2d, which also
/// does not average): y[n,c,oy,ox] = (sum over the window taps inside the image of |x|^p)^(1/p).
/// Padding is zero and adds nothing; dilation is allowed, as in ONNX. The gradient is
/// dy/dx = |x|^(p-1) sign(x) / y^(p-1), defined as 0 where y == 0 (an all-zero window).
/// </summary>
public static class LpPool2d
{
    private const string Op = "LpPool2d";

    /// <summary>Validates the input shape and options and returns [N, C, OH, OW].</summary>
    public static TensorShape OutputShape(TensorShape input, Pool2dOptions options) =>
        Pool2dGeometry.OutputShape(Op, input, options, dilationSupported: true);

    /// <summary>output = (sum_window |input|^p)^(1/p).</summary>
    /// <param name="p">The norm order, finite and at least 1 (2 = L2 pooling).</param>
    public static void Forward(Tensor input, Tensor output, Pool2dOptions options, float p = 2f)
    {
        RequireOrder(Op, p);
        TensorShape outShape = OutputShape(input.Shape, options);
        Pool2dGeometry.RequireShape(Op, nameof(output), output.Shape, outShape, input.Shape, options);
        Pool2dGeometry.SetWindow(input.Context.Programs.Get("lppool2d_forward.comp"), input.Shape, outShape, options)
            .Set("p", p)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= dL/dinput given the forward input and output and dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput, Pool2dOptions options,
        float p = 2f, bool accumulate = false)
    {
        RequireOrder(Op, p);
        TensorShape inShape = input.Shape;
        TensorShape outShape = OutputShape(inShape, options);
        Pool2dGeometry.RequireShape(Op, nameof(output), output.Shape, outShape, inShape, options);
        Pool2dGeometry.RequireShape(Op, nameof(gradOutput), gradOutput.Shape, outShape, inShape, options);
        Pool2dGeometry.RequireShape(Op, nameof(gradInput), gradInput.Shape, inShape, inShape, options);
        Pool2dGeometry.SetWindow(input.Context.Programs.Get("lppool2d_backward.comp"), inShape, outShape, options)
            .Set("p", p)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, output).Bind(2, gradOutput).Bind(3, gradInput)
            .DispatchLinear(inShape.ElementCount);
    }

    /// <summary>Refuses norm orders below 1 (not a norm; infinite gradient at 0) and non-finite ones.</summary>
    internal static void RequireOrder(string op, float p)
    {
        if (!float.IsFinite(p) || p < 1f)
            throw new ArgumentOutOfRangeException(nameof(p), $"{op} norm order p must be finite and >= 1; got {p}.");
    }
}
