namespace VisionPlugin.Engine;

/// <summary>
/// Log-softmax along one axis on the GPU, numerically stable:
///   y_l = (x_l - max_j x_j) - log(sum_j exp(x_j - max_j x_j))                (j, l along the axis).
/// Axis conventions as in <see cref="Softmax"/> (default 1: channels of NCHW, classes of [N, K]).
/// Backward from the saved output: dx_l = dy_l - exp(y_l) * sum_j dy_j.
/// </summary>
public static class LogSoftmax
{
    /// <summary>output = log(softmax(input)) along <paramref name="axis"/>.</summary>
    public static void Forward(Tensor input, Tensor output, int axis = 1) =>
        Softmax.RunForward("LogSoftmax", input, output, axis, logarithm: true);

    /// <summary>gradInput (+)= dL/dinput given the forward output and dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    public static void Backward(Tensor output, Tensor gradOutput, Tensor gradInput, int axis = 1, bool accumulate = false) =>
        Softmax.RunBackward("LogSoftmax", output, gradOutput, gradInput, axis, logarithm: true, accumulate);
}
