namespace VisionPlugin.Engine;

/// <summary>
/// Local response normalization across channels on the GPU, forward and backward (AlexNet; ONNX <c>LRN</c>),
/// for [N, C, ...] tensors (output shape = input shape). With d = bias + alpha/size * (sum of x^2 over the
/// ONNX channel window, see <see cref="LrnOptions"/>): y = x * d^(-beta). Forward can save d, which Backward
/// reads together with x and y:
/// dx[j] = dy[j] * d[j]^(-beta) - 2 alpha beta / size * x[j] * sum over windows c holding j of dy[c] * y[c] / d[c].
/// </summary>
public static class Lrn
{
    private const string Op = "LRN";

    /// <summary>Validates an [N, C, ...] input; the output has its shape.</summary>
    public static TensorShape OutputShape(TensorShape input, LrnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (input.Rank < 2) throw new ArgumentException($"{Op} expects an [N, C, ...] input; got {input}.", nameof(input));
        return input;
    }

    /// <summary>output = input / (bias + alpha/size * window sum of squares)^beta.</summary>
    /// <param name="denominator">Null for inference; for training the input's shape, receiving d for <see cref="Backward"/>.</param>
    public static void Forward(Tensor input, Tensor output, LrnOptions options, Tensor? denominator = null)
    {
        TensorShape shape = OutputShape(input.Shape, options);
        RequireShape(nameof(output), output.Shape, shape);
        if (denominator is not null) RequireShape(nameof(denominator), denominator.Shape, shape);
        Program(input.Context, "lrn_forward.comp", shape, options)
            .Set("bias", options.Bias).Set("writeDenominator", denominator is null ? 0 : 1)
            .Bind(0, input).Bind(1, output).Bind(2, (denominator ?? output).Buffer)
            .DispatchLinear(shape.ElementCount);
    }

    /// <summary>gradInput (+)= dL/dinput given the forward input, output, saved denominator and dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor input, Tensor output, Tensor denominator, Tensor gradOutput, Tensor gradInput,
        LrnOptions options, bool accumulate = false)
    {
        TensorShape shape = OutputShape(input.Shape, options);
        RequireShape(nameof(output), output.Shape, shape);
        RequireShape(nameof(denominator), denominator.Shape, shape);
        RequireShape(nameof(gradOutput), gradOutput.Shape, shape);
        RequireShape(nameof(gradInput), gradInput.Shape, shape);
        Program(input.Context, "lrn_backward.comp", shape, options)
            .Set("accumulate", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, output).Bind(2, denominator).Bind(3, gradOutput).Bind(4, gradInput)
            .DispatchLinear(shape.ElementCount);
    }

    /// <summary>About size + 3 multiply-adds per element.</summary>
    public static long MultiplyAdds(TensorShape input, LrnOptions options) =>
        (long)OutputShape(input, options).ElementCount * (options.Size + 3);

    private static ComputeProgram Program(GpuContext context, string shader, TensorShape shape, LrnOptions o)
    {
        int spatial = 1;
        for (int axis = 2; axis < shape.Rank; axis++) spatial *= shape[axis];
        return context.Programs.Get(shader)
            .Set("C", shape[1]).Set("S", spatial).Set("count", shape.ElementCount)
            .Set("before", o.Before).Set("after", o.After).Set("size", o.Size)
            .Set("alpha", o.Alpha).Set("beta", o.Beta);
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape input)
    {
        if (actual != input)
            throw new ArgumentException($"{Op} {name} must have the input's shape {input}; got {actual}.", name);
    }
}
