namespace VisionPlugin.Engine;

/// <summary>
/// Softmax along one axis on the GPU, numerically stable:
///   y[..., l, ...] = exp(x_l - max_j x_j) / sum_j exp(x_j - max_j x_j)     (j, l along the axis).
/// The default axis 1 is the channel axis of an NCHW tensor (one distribution per (n, h, w)) and
/// the class axis of [N, K] logits. Negative axes count from the end.
/// Backward from the saved output: dx_l = y_l * (dy_l - sum_j dy_j * y_j).
/// </summary>
public static class Softmax
{
    /// <summary>output = softmax(input) along <paramref name="axis"/>.</summary>
    public static void Forward(Tensor input, Tensor output, int axis = 1) =>
        RunForward("Softmax", input, output, axis, logarithm: false);

    /// <summary>gradInput (+)= dL/dinput given the forward output and dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    public static void Backward(Tensor output, Tensor gradOutput, Tensor gradInput, int axis = 1, bool accumulate = false) =>
        RunBackward("Softmax", output, gradOutput, gradInput, axis, logarithm: false, accumulate);

    /// <summary>
    /// Views <paramref name="shape"/> as [outer, length, inner] around <paramref name="axis"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is not in [-rank, rank).</exception>
    public static (int Outer, int Length, int Inner) Rows(string op, TensorShape shape, int axis)
    {
        int rank = shape.Rank;
        if (axis < -rank || axis >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op} axis {axis} is outside a rank-{rank} tensor {shape}.");
        if (axis < 0) axis += rank;
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < rank; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    internal static void RunForward(string op, Tensor input, Tensor output, int axis, bool logarithm)
    {
        RequireSameShape(op, nameof(output), input.Shape, output.Shape);
        var (outer, length, inner) = Rows(op, input.Shape, axis);
        output.Context.Programs.Get("softmax_forward.comp")
            .Set("outer", outer).Set("L", length).Set("inner", inner).Set("logarithm", logarithm ? 1 : 0)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear((long)outer * inner);
    }

    internal static void RunBackward(string op, Tensor output, Tensor gradOutput, Tensor gradInput, int axis, bool logarithm, bool accumulate)
    {
        RequireSameShape(op, nameof(gradOutput), output.Shape, gradOutput.Shape);
        RequireSameShape(op, nameof(gradInput), output.Shape, gradInput.Shape);
        var (outer, length, inner) = Rows(op, output.Shape, axis);
        gradInput.Context.Programs.Get("softmax_backward.comp")
            .Set("outer", outer).Set("L", length).Set("inner", inner).Set("logarithm", logarithm ? 1 : 0)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, output).Bind(1, gradOutput).Bind(2, gradInput)
            .DispatchLinear((long)outer * inner);
    }

    private static void RequireSameShape(string op, string name, TensorShape expected, TensorShape actual)
    {
        if (actual != expected)
            throw new ArgumentException($"{op} {name} must have the shape {expected}; got {actual}.", name);
    }
}
