namespace VisionPlugin.Engine;

/// <summary>
/// Transposed 2-D convolution on the GPU, forward and backward (PyTorch ConvTranspose2d, ONNX ConvTranspose).
/// Tensors are NCHW; weights are [C, K / groups, KH, KW] (input channels first); bias is [K].
/// Forward is the adjoint of <see cref="Conv2d"/>'s input gradient:
/// y[n, k, iy*sH - padT + ky*dH, ix*sW - padL + kx*dW] += x[n, c, iy, ix] * w[c, k - g*Kg, ky, kx] for c, k in group g,
/// computed as a gather (each output sums the inputs that reach it), so it needs no atomics.
/// Output size per axis: O = (I - 1) * stride - padBefore - padAfter + dilation * (kernel - 1) + outputPadding + 1.
/// Backward: the input gradient is a <see cref="Conv2d"/> forward of the output gradient with the same weight
/// (conv2d_forward.comp), the weight gradient the correlation of the output gradient with the input
/// (conv2d_backward_weight.comp, split reduction), the bias gradient the per-channel sum of the output gradient.
/// </summary>
public static class ConvTranspose2d
{
    private const string Op = "ConvTranspose2d";
    private const int OutputChannelBlock = 4;      // OCB in conv_transpose2d_forward.comp
    private const int OutputColumnBlock = 4;       // OXB in conv_transpose2d_forward.comp

    /// <summary>Validates the shapes and returns the output shape [N, K, OH, OW].</summary>
    /// <exception cref="ArgumentException">Shapes or options are inconsistent; the message names the shapes.</exception>
    public static TensorShape OutputShape(TensorShape input, TensorShape weight, ConvTranspose2dOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConvTranspose2dOptions o = options;
        if (input.Rank != 4) throw new ArgumentException($"{Op} expects an NCHW input; got {input}.", nameof(input));
        if (weight.Rank != 4) throw new ArgumentException($"{Op} expects a [C, K/groups, KH, KW] weight; got {weight}.", nameof(weight));
        if (o.StrideH < 1 || o.StrideW < 1) throw new ArgumentOutOfRangeException(nameof(options), $"{Op} stride must be >= 1; got {o.StrideH}x{o.StrideW}.");
        if (o.DilationH < 1 || o.DilationW < 1) throw new ArgumentOutOfRangeException(nameof(options), $"{Op} dilation must be >= 1; got {o.DilationH}x{o.DilationW}.");
        Padding2d p = o.Padding;
        if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0) throw new ArgumentOutOfRangeException(nameof(options), $"{Op} padding must be >= 0; got {p}.");
        if (o.OutputPaddingH < 0 || o.OutputPaddingW < 0
            || o.OutputPaddingH >= Math.Max(o.StrideH, o.DilationH) || o.OutputPaddingW >= Math.Max(o.StrideW, o.DilationW))
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{Op} output padding must be >= 0 and smaller than the stride or the dilation; got {o}.");
        int groups = o.Groups;
        if (groups < 1 || input.C % groups != 0)
            throw new ArgumentException($"{Op} groups {groups} must divide the input channels; input {input}, weight {weight}.", nameof(options));
        if (weight[0] != input.C)
            throw new ArgumentException($"{Op} expects {weight[0]} input channels (weight {weight}); got input {input}.", nameof(input));
        if (weight[1] < 1 || weight[2] < 1 || weight[3] < 1)
            throw new ArgumentException($"{Op} weight must have at least one output channel and a 1x1 kernel; got {weight}.", nameof(weight));
        int outH = OutputSize(input.H, weight[2], o.StrideH, o.DilationH, p.Top, p.Bottom, o.OutputPaddingH);
        int outW = OutputSize(input.W, weight[3], o.StrideW, o.DilationW, p.Left, p.Right, o.OutputPaddingW);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"{Op} padding removes the whole output of input {input} with weight {weight} ({o}): {outH}x{outW}.", nameof(options));
        return new TensorShape(input.N, weight[1] * groups, outH, outW);
    }

    /// <summary>(input - 1) * stride - padBefore - padAfter + dilation * (kernel - 1) + outputPadding + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int dilation, int padBefore, int padAfter, int outputPadding) =>
        (input - 1) * stride - padBefore - padAfter + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>output = convtranspose(input, weight) + bias.</summary>
    public static void Forward(Tensor input, Tensor weight, Tensor? bias, Tensor output, ConvTranspose2dOptions options)
    {
        TensorShape outShape = OutputShape(input.Shape, weight.Shape, options);
        RequireShape(nameof(output), output.Shape, outShape, input.Shape, weight.Shape);
        if (bias is not null && bias.ElementCount != outShape.C)
            throw new ArgumentException($"{Op} bias must have {outShape.C} elements for weight {weight.Shape}, groups {options.Groups}; got {bias.Shape}.", nameof(bias));
        int kg = outShape.C / options.Groups;
        int columnsPerPhase = (outShape.W + options.StrideW - 1) / options.StrideW;
        long tilesX = (long)options.StrideW * ((columnsPerPhase + OutputColumnBlock - 1) / OutputColumnBlock);
        long tiles = (long)outShape.N * ((kg + OutputChannelBlock - 1) / OutputChannelBlock) * options.Groups * outShape.H * tilesX;
        SetUniforms(input.Context.Programs.Get("conv_transpose2d_forward.comp"), input.Shape, weight.Shape, outShape, options)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, input).Bind(1, weight).Bind(2, (bias ?? weight).Buffer).Bind(3, output)
            .DispatchLinear(tiles);
    }

    /// <summary>
    /// gradInput (+)= dL/dinput. The forward is the adjoint of a convolution's input gradient, so this is that
    /// convolution's forward: gradInput[n,c,iy,ix] = sum_{k,ky,kx} gradOutput[n, k, iy*sH - padT + ky*dH, ix*sW - padL + kx*dW] * w[c, k - g*Kg, ky, kx].
    /// </summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, ConvTranspose2dOptions options, bool accumulate = false)
    {
        TensorShape inShape = gradInput.Shape;
        TensorShape outShape = OutputShape(inShape, weight.Shape, options);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, inShape, weight.Shape);
        GpuContext context = gradInput.Context;
        // conv2d_forward.comp overwrites its output; to accumulate, convolve into scratch and add.
        GpuBuffer target = accumulate ? context.Scratch("conv_transpose2d.grad_input", inShape.ElementCount) : gradInput.Buffer;
        Conv2d.DispatchForward(gradOutput, weight, null, target, Geometry(inShape, weight.Shape, outShape, options));
        if (accumulate) SplitReduction.SumPartials(context, target, 1, gradInput.Buffer, inShape.ElementCount, 1f);
    }

    /// <summary>
    /// gradWeight (+)= dL/dweight: from y[n, k, iy*sH - padT + ky*dH, ix*sW - padL + kx*dW] += x[n,c,iy,ix] * w[c, k-g*Kg, ky, kx],
    /// dw[c, kl, ky, kx] = sum_{n,iy,ix} x[n,c,iy,ix] * gradOutput[n, g*Kg + kl, iy*sH - padT + ky*dH, ix*sW - padL + kx*dW].
    /// </summary>
    /// <param name="accumulate">Add to <paramref name="gradWeight"/> (the default: parameter gradients accumulate until an optimizer zeroes them).</param>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, ConvTranspose2dOptions options, bool accumulate = true)
    {
        TensorShape outShape = OutputShape(input.Shape, gradWeight.Shape, options);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, input.Shape, gradWeight.Shape);
        // The convolution's input is our gradOutput and its output gradient is our input.
        Conv2d.DispatchBackwardWeight(gradOutput, input, gradWeight, Geometry(input.Shape, gradWeight.Shape, outShape, options), accumulate);
    }

    /// <summary>gradBias[k] (+)= sum_{n,oy,ox} gradOutput[n,k,oy,ox].</summary>
    public static void BackwardBias(Tensor gradOutput, Tensor gradBias, bool accumulate = true)
    {
        if (gradOutput.Shape.Rank != 4) throw new ArgumentException($"{Op} gradOutput must be NCHW; got {gradOutput.Shape}.", nameof(gradOutput));
        ChannelReduction.Sum(gradOutput, null, gradBias, accumulate);
    }

    /// <summary>Multiply-adds of one forward pass: N*C*H*W*(K/groups)*KH*KW (every input meets every tap of its group).</summary>
    public static long MultiplyAdds(TensorShape input, TensorShape weight, ConvTranspose2dOptions options)
    {
        OutputShape(input, weight, options);
        return (long)input.N * input.C * input.H * input.W * weight[1] * weight[2] * weight[3];
    }

    /// <summary>
    /// Sets the uniforms of the three kernels, all written for the convolution whose input gradient this op is:
    /// that convolution reads [N, K, OH, OW] (our output) with weight [C, K/groups, KH, KW] and writes [N, C, H, W] (our input).
    /// </summary>
    private static ComputeProgram SetUniforms(ComputeProgram program, TensorShape input, TensorShape weight, TensorShape output, ConvTranspose2dOptions o) =>
        Geometry(input, weight, output, o).SetUniforms(program);

    /// <summary>The convolution this op is the input gradient of: it reads our output and writes our input.</summary>
    private static ConvGeometry Geometry(TensorShape input, TensorShape weight, TensorShape output, ConvTranspose2dOptions o) =>
        new(output, weight, input, o.StrideH, o.StrideW, o.DilationH, o.DilationW, o.Padding.Top, o.Padding.Left, o.Groups);

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, TensorShape weight)
    {
        if (actual != expected)
            throw new ArgumentException($"{Op} {name} must be {expected} for input {input} and weight {weight}; got {actual}.", name);
    }
}
