namespace VisionPlugin.Engine;

/// <summary>
/// Global pooling on the GPU: each (n, c) plane of an NCHW input reduces to one value, [N,C,H,W] -> [N,C,1,1]
/// (ONNX GlobalAveragePool / GlobalMaxPool / GlobalLpPool).
/// Average: y = sum x / (H*W). Max: y = the first maximum in row-major order; its plane index h*W + w can be
/// recorded in an int argmax buffer [N*C], and backward routes the gradient there. Lp: y = (sum |x|^p)^(1/p).
/// Backward passes overwrite the input gradient, or add to it with <c>accumulate</c>.
/// </summary>
public static class GlobalPool
{
    private const int Average = 0, Max = 1, Lp = 2;   // `kind` in global_pool_*.comp

    /// <summary>Validates an NCHW input and returns [N, C, 1, 1].</summary>
    public static TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank != 4) throw new ArgumentException($"GlobalPool expects an NCHW input; got {input}.", nameof(input));
        if (input.H < 1 || input.W < 1) throw new ArgumentException($"GlobalPool needs a non-empty plane; got {input}.", nameof(input));
        return new TensorShape(input.N, input.C, 1, 1);
    }

    /// <summary>output[n,c] = mean over h, w of input[n,c,h,w].</summary>
    public static void AverageForward(Tensor input, Tensor output) =>
        RunForward("GlobalAveragePool", Average, input, output, null, 0f);

    /// <summary>gradInput[n,c,h,w] (+)= gradOutput[n,c] / (H*W).</summary>
    public static void AverageBackward(Tensor gradOutput, Tensor gradInput, bool accumulate = false) =>
        RunBackward("GlobalAveragePool", Average, gradOutput, gradInput, null, null, null, 0f, accumulate);

    /// <summary>The average's input gradient with an optional fused epilogue (AvgPool2d's whole-plane windows route here).</summary>
    internal static void AverageBackward(Tensor gradOutput, Tensor gradInput, bool accumulate, ConvEpilogue? epilogue) =>
        RunBackward("GlobalAveragePool", Average, gradOutput, gradInput, null, null, null, 0f, accumulate, epilogue);

    /// <summary>
    /// The average's input gradient carried on through the clamp activation that wrote the input (one pass):
    /// input = activationOutput = act(z), gradInput[n,c,h,w] (+)= gradOutput[n,c] / (H*W) * act'(z) (<see cref="ActivationDerivativeMask"/>).
    /// </summary>
    public static void AverageBackwardThroughActivation(Tensor gradOutput, Tensor gradInput, Tensor activationOutput,
        ActivationDerivativeMask mask, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(activationOutput);
        RequireShape("GlobalAveragePool", nameof(activationOutput), activationOutput.Shape, gradInput.Shape, gradInput.Shape);
        RunBackward("GlobalAveragePool", Average, gradOutput, gradInput, null, null, null, 0f, accumulate, mask.ToEpilogue(activationOutput));
    }

    /// <summary>output[n,c] = max over h, w of input[n,c,h,w]; <paramref name="argmax"/>, if given, receives h*W + w of the first maximum.</summary>
    public static void MaxForward(Tensor input, Tensor output, GpuBuffer? argmax) =>
        RunForward("GlobalMaxPool", Max, input, output, argmax, 0f);

    /// <summary>gradInput (+)= gradOutput[n,c] at the recorded argmax of each plane, 0 elsewhere.</summary>
    public static void MaxBackward(Tensor gradOutput, GpuBuffer argmax, Tensor gradInput, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(argmax);
        RunBackward("GlobalMaxPool", Max, gradOutput, gradInput, argmax, null, null, 0f, accumulate);
    }

    /// <summary>output[n,c] = (sum over h, w of |input[n,c,h,w]|^p)^(1/p).</summary>
    /// <param name="p">The norm order, finite and at least 1.</param>
    public static void LpForward(Tensor input, Tensor output, float p = 2f)
    {
        LpPool2d.RequireOrder("GlobalLpPool", p);
        RunForward("GlobalLpPool", Lp, input, output, null, p);
    }

    /// <summary>gradInput (+)= gradOutput * |x|^(p-1) sign(x) / y^(p-1) (0 where y == 0), given the forward input x and output y.</summary>
    public static void LpBackward(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput, float p = 2f, bool accumulate = false)
    {
        LpPool2d.RequireOrder("GlobalLpPool", p);
        RequireShape("GlobalLpPool", nameof(input), input.Shape, gradInput.Shape, gradInput.Shape);
        RunBackward("GlobalLpPool", Lp, gradOutput, gradInput, null, input, output, p, accumulate);
    }

    private static void RunForward(string op, int kind, Tensor input, Tensor output, GpuBuffer? argmax, float p)
    {
        TensorShape outShape = OutputShape(input.Shape);
        RequireShape(op, nameof(output), output.Shape, outShape, input.Shape);
        if (argmax is not null) RequireArgmax(op, argmax, outShape, input.Shape);
        SetShape(input.Context.Programs.Get("global_pool_forward.comp"), input.Shape)
            .Set("kind", kind).Set("writeArgmax", argmax is null ? 0 : 1).Set("p", p)
            .Bind(0, input).Bind(1, output).Bind(2, argmax ?? output.Buffer)
            .DispatchLinear(outShape.ElementCount);
    }

    private static void RunBackward(string op, int kind, Tensor gradOutput, Tensor gradInput, GpuBuffer? argmax,
        Tensor? input, Tensor? output, float p, bool accumulate, ConvEpilogue? epilogue = null)
    {
        TensorShape inShape = gradInput.Shape;
        TensorShape outShape = OutputShape(inShape);
        RequireShape(op, nameof(gradOutput), gradOutput.Shape, outShape, inShape);
        if (output is not null) RequireShape(op, nameof(output), output.Shape, outShape, inShape);
        if (argmax is not null) RequireArgmax(op, argmax, outShape, inShape);
        // Kinds that do not read a binding get gradOutput there: never accessed, but always bound.
        ComputeProgram program = SetShape(gradInput.Context.Programs.Get("global_pool_backward.comp", ConvEpilogue.Defines(epilogue, NoDefines)), inShape)
            .Set("kind", kind).Set("p", p).Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, argmax ?? gradOutput.Buffer)
            .Bind(2, (input ?? gradOutput).Buffer).Bind(3, (output ?? gradOutput).Buffer)
            .Bind(4, gradInput);
        if (epilogue is { } e) e.Apply(program, gradOutput.Buffer, binding: 5);   // the activation derivative (EPILOGUE 2)
        program.DispatchLinear(outShape.ElementCount); // one invocation per plane
    }

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();

    private static ComputeProgram SetShape(ComputeProgram program, TensorShape input) =>
        program.Set("N", input.N).Set("C", input.C).Set("H", input.H).Set("W", input.W);

    private static void RequireShape(string op, string name, TensorShape actual, TensorShape expected, TensorShape input)
    {
        if (actual != expected)
            throw new ArgumentException($"{op} {name} must be {expected} for input {input}; got {actual}.", name);
    }

    private static void RequireArgmax(string op, GpuBuffer argmax, TensorShape output, TensorShape input)
    {
        if (argmax.ElementCount != output.ElementCount)
            throw new ArgumentException(
                $"{op} argmax must hold {output.ElementCount} elements (one per plane of input {input}); got {argmax.ElementCount}.",
                nameof(argmax));
    }
}
