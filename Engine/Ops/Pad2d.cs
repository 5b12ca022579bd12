namespace VisionPlugin.Engine;

/// <summary>
/// Spatial padding (or cropping) of an NCHW tensor on the GPU, forward and backward (ONNX Pad on the H and W
/// axes, Keras ZeroPadding2D/Cropping2D, torch ZeroPad2d/ConstantPad2d/ReflectionPad2d/ReplicationPad2d).
/// Output [N, C, H + top + bottom, W + left + right]; output (oy, ox) reads input (src(oy - top), src(ox - left))
/// where src is the identity inside the input and, outside it, "constant value", mirror (reflect) or clamp (edge).
/// Backward gathers: each input element sums the output gradients whose source it is (the constant gets none),
/// so edge and reflect padding need no atomics either.
/// </summary>
public static class Pad2d
{
    private const string Op = "Pad2d";

    /// <summary>Validates the input and options and returns the output shape.</summary>
    /// <exception cref="ArgumentException">Cropping removes a whole axis, or reflect padding is not smaller than the axis.</exception>
    public static TensorShape OutputShape(TensorShape input, Pad2dOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (input.Rank != 4) throw new ArgumentException($"{Op} expects an NCHW input; got {input}.", nameof(input));
        if (!Enum.IsDefined(options.Mode)) throw new ArgumentOutOfRangeException(nameof(options), $"{Op} mode {(int)options.Mode} is not a PadMode.");
        Padding2d p = options.Padding;
        int outH = input.H + p.Top + p.Bottom, outW = input.W + p.Left + p.Right;
        if (outH < 1 || outW < 1 || -p.Top >= input.H || -p.Bottom >= input.H || -p.Left >= input.W || -p.Right >= input.W)
            throw new ArgumentException($"{Op} {p} crops input {input} to nothing (output {outH}x{outW}); every axis must keep an input element.", nameof(options));
        if (options.Mode == PadMode.Reflect && (p.Top >= input.H || p.Bottom >= input.H || p.Left >= input.W || p.Right >= input.W))
            throw new ArgumentException($"{Op} reflect padding {p} must be smaller than the padded axis of input {input} (it mirrors once).", nameof(options));
        return new TensorShape(input.N, input.C, outH, outW);
    }

    /// <summary>output = pad(input).</summary>
    public static void Forward(Tensor input, Tensor output, Pad2dOptions options)
    {
        TensorShape outShape = OutputShape(input.Shape, options);
        RequireShape(nameof(output), output.Shape, outShape, input.Shape, options);
        SetUniforms(input.Context.Programs.Get("pad2d_forward.comp"), input.Shape, outShape, options)
            .Set("value", options.Value)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= dL/dinput: gradInput[n,c,iy,ix] = sum of gradOutput[n,c,oy,ox] over the outputs that read (iy, ix).</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor gradOutput, Tensor gradInput, Pad2dOptions options, bool accumulate = false)
    {
        TensorShape inShape = gradInput.Shape;
        TensorShape outShape = OutputShape(inShape, options);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, inShape, options);
        SetUniforms(gradInput.Context.Programs.Get("pad2d_backward.comp"), inShape, outShape, options)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, gradInput)
            .DispatchLinear(inShape.ElementCount);
    }

    private static ComputeProgram SetUniforms(ComputeProgram program, TensorShape input, TensorShape output, Pad2dOptions o) =>
        program.Set("N", input.N).Set("C", input.C).Set("H", input.H).Set("W", input.W)
            .Set("OH", output.H).Set("OW", output.W)
            .Set("padTop", o.Padding.Top).Set("padLeft", o.Padding.Left)
            .Set("mode", (int)o.Mode);

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, Pad2dOptions o)
    {
        if (actual != expected)
            throw new ArgumentException($"{Op} {name} must be {expected} for input {input} ({o}); got {actual}.", name);
    }
}
