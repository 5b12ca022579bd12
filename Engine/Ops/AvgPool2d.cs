namespace VisionPlugin.Engine;

/// <summary>
/// 2-D average pooling on the GPU, forward and backward, NCHW, following PyTorch's <c>avg_pool2d</c>:
/// y[n,c,oy,ox] = sum of the window's taps inside the image / divisor, where, per axis,
/// begin = o*stride - padBefore and end = min(begin + kernel, I + padAfter); the divisor counts the taps in
/// [begin, end) (<see cref="Pool2dOptions.CountIncludePad"/>, so a ceil-mode window hanging past the padding
/// is not charged for the overhang) or only those inside [0, I) (exclude-pad). No dilation.
/// </summary>
public static class AvgPool2d
{
    private const string Op = "AvgPool2d";

    /// <summary>Validates the input shape and options and returns [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">The window does not fit, lies in padding only, is dilated, or an option is out of range.</exception>
    public static TensorShape OutputShape(TensorShape input, Pool2dOptions options) =>
        Pool2dGeometry.OutputShape(Op, input, options, dilationSupported: false);

    /// <summary>output = avgpool(input).</summary>
    public static void Forward(Tensor input, Tensor output, Pool2dOptions options)
    {
        TensorShape outShape = OutputShape(input.Shape, options);
        Pool2dGeometry.RequireShape(Op, nameof(output), output.Shape, outShape, input.Shape, options);
        if (CoversWholePlane(input.Shape, outShape, options))
        {
            GlobalPool.AverageForward(input, output);
            return;
        }
        Pool2dGeometry.SetWindow(input.Context.Programs.Get("avgpool2d_forward.comp"), input.Shape, outShape, options)
            .Set("countIncludePad", options.CountIncludePad ? 1 : 0)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= dL/dinput: every input tap of a window receives gradOutput / divisor.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor gradOutput, Tensor gradInput, Pool2dOptions options, bool accumulate = false) =>
        Backward(gradOutput, gradInput, options, accumulate, epilogue: null);

    /// <summary>
    /// The input gradient carried on through the clamp activation that wrote the input (one pass):
    /// input = activationOutput = act(z), gradInput (+)= dL/dinput * act'(z) (<see cref="ActivationDerivativeMask"/>).
    /// </summary>
    public static void BackwardThroughActivation(Tensor gradOutput, Tensor gradInput, Pool2dOptions options, Tensor activationOutput,
        ActivationDerivativeMask mask, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(activationOutput);
        if (activationOutput.Shape != gradInput.Shape)
            throw new ArgumentException($"{Op} activationOutput must have gradInput's shape {gradInput.Shape}; got {activationOutput.Shape}.", nameof(activationOutput));
        Backward(gradOutput, gradInput, options, accumulate, mask.ToEpilogue(activationOutput));
    }

    private static void Backward(Tensor gradOutput, Tensor gradInput, Pool2dOptions options, bool accumulate, ConvEpilogue? epilogue)
    {
        TensorShape inShape = gradInput.Shape;
        TensorShape outShape = OutputShape(inShape, options);
        Pool2dGeometry.RequireShape(Op, nameof(gradOutput), gradOutput.Shape, outShape, inShape, options);
        if (CoversWholePlane(inShape, outShape, options))
        {
            GlobalPool.AverageBackward(gradOutput, gradInput, accumulate, epilogue);
            return;
        }
        ComputeProgram program = Pool2dGeometry.SetWindow(
                gradInput.Context.Programs.Get("avgpool2d_backward.comp", ConvEpilogue.Defines(epilogue, NoDefines)), inShape, outShape, options)
            .Set("countIncludePad", options.CountIncludePad ? 1 : 0)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, gradInput);
        if (epilogue is { } e) e.Apply(program, gradOutput.Buffer);
        program.DispatchLinear(inShape.ElementCount);
    }

    /// <summary>
    /// One unpadded window over the whole plane (e.g. Keras' final AveragePooling2D(7) in MobileNetV2): the same sums
    /// and divisor H*W as global average pooling, whose kernels need no window arithmetic per element.
    /// </summary>
    private static bool CoversWholePlane(TensorShape input, TensorShape output, Pool2dOptions options) =>
        output.H == 1 && output.W == 1 && options.Padding == Padding2d.None && options.KernelH == input.H && options.KernelW == input.W;

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
}
