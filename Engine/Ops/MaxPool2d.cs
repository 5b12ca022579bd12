namespace VisionPlugin.Engine;

/// <summary>
/// 2-D max pooling on the GPU, forward and backward, NCHW.
/// y[n,c,oy,ox] = max over the window taps inside the image of x[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW];
/// padding never wins and windows made only of padding are refused (<see cref="Pool2dGeometry"/>).
/// Forward can record the winner of every window in an int buffer <c>argmax</c> [N,C,OH,OW] holding the
/// flat index iy*W + ix inside the winner's own (n, c) input plane; ties go to the first tap in row-major
/// (ky, kx) order, which is the smallest such index; NaN propagates (the first NaN wins).
/// Backward routes each output gradient to its recorded winner by gathering, so it needs no atomics and
/// is deterministic.
/// </summary>
public static class MaxPool2d
{
    private const string Op = "MaxPool2d";

    /// <summary>Validates the input shape and options and returns [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">The window does not fit, lies in padding only, or an option is out of range.</exception>
    public static TensorShape OutputShape(TensorShape input, Pool2dOptions options) =>
        Pool2dGeometry.OutputShape(Op, input, options, dilationSupported: true);

    /// <summary>output = maxpool(input); when <paramref name="argmax"/> is given it receives the winners' plane indices.</summary>
    /// <param name="argmax">Null for inference; for training an int buffer with one element per output, passed to <see cref="Backward"/>.</param>
    public static void Forward(Tensor input, Tensor output, GpuBuffer? argmax, Pool2dOptions options)
    {
        TensorShape outShape = OutputShape(input.Shape, options);
        Pool2dGeometry.RequireShape(Op, nameof(output), output.Shape, outShape, input.Shape, options);
        if (argmax is not null) RequireArgmax(argmax, outShape, input.Shape);
        Pool2dGeometry.SetWindow(input.Context.Programs.Get("maxpool2d_forward.comp"), input.Shape, outShape, options)
            .Set("writeArgmax", argmax is null ? 0 : 1)
            .Bind(0, input).Bind(1, output).Bind(2, argmax ?? output.Buffer)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= dL/dinput: each gradOutput element goes to the input its window's argmax names.</summary>
    /// <param name="argmax">The buffer <see cref="Forward"/> filled for the same input shape and options.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor gradOutput, GpuBuffer argmax, Tensor gradInput, Pool2dOptions options, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(argmax);
        TensorShape inShape = gradInput.Shape;
        TensorShape outShape = OutputShape(inShape, options);
        Pool2dGeometry.RequireShape(Op, nameof(gradOutput), gradOutput.Shape, outShape, inShape, options);
        RequireArgmax(argmax, outShape, inShape);
        Pool2dGeometry.SetWindow(gradInput.Context.Programs.Get("maxpool2d_backward.comp"), inShape, outShape, options)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, argmax).Bind(2, gradInput)
            .DispatchLinear(inShape.ElementCount);
    }

    private static void RequireArgmax(GpuBuffer argmax, TensorShape output, TensorShape input)
    {
        if (argmax.ElementCount != output.ElementCount)
            throw new ArgumentException(
                $"{Op} argmax must hold {output.ElementCount} elements (one per output {output} of input {input}); got {argmax.ElementCount}.",
                nameof(argmax));
    }
}
