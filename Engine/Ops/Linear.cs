namespace VisionPlugin.Engine;

/// <summary>
/// Fully connected layer maths on the GPU. Input x [N, in], weight W [out, in] (PyTorch layout),
/// bias b [out], output y [N, out]:
///   y = x W^T + b,    i.e. y[n,o] = b[o] + sum_i x[n,i] * W[o,i].
/// Backward (all three are products on the same GEMM kernel, <see cref="Gemm"/>):
///   dx = dy W         dx[n,i] = sum_o dy[n,o] * W[o,i]
///   dW += dy^T x      dW[o,i] += sum_n dy[n,o] * x[n,i]
///   db += sum_n dy    db[o]   += sum_n dy[n,o]
/// A higher-rank input is flattened to [N, in] first (the Flatten layer's job).
/// </summary>
public static class Linear
{
    /// <summary>Validates the shapes and returns the output shape [N, out].</summary>
    /// <exception cref="ArgumentException">Ranks or feature counts disagree; the message names both shapes.</exception>
    public static TensorShape OutputShape(TensorShape input, TensorShape weight)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Linear expects an [out, in] weight; got {weight}.", nameof(weight));
        if (input.Rank != 2)
            throw new ArgumentException($"Linear expects an [N, {weight[1]}] input (flatten it first); got {input} for weight {weight}.", nameof(input));
        if (input[1] != weight[1])
            throw new ArgumentException($"Linear expects {weight[1]} input features (weight {weight}); got input {input}.", nameof(input));
        return new TensorShape(input[0], weight[0]);
    }

    /// <summary>output = input W^T + bias.</summary>
    public static void Forward(Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        TensorShape outShape = OutputShape(input.Shape, weight.Shape);
        RequireShape(nameof(output), output.Shape, outShape, input.Shape, weight.Shape);
        if (bias is not null && bias.ElementCount != weight.Shape[0])
            throw new ArgumentException($"Linear bias must have {weight.Shape[0]} elements for weight {weight.Shape}; got {bias.Shape}.", nameof(bias));
        // y[N,out] = x[N,in] * (W[out,in])^T + b
        Gemm.Multiply(input, weight, output, transposeB: true, bias: bias);
    }

    /// <summary>gradInput (+)= gradOutput W.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (a tensor feeding several layers) instead of overwriting it.</param>
    public static void BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, bool accumulate = false)
    {
        TensorShape outShape = OutputShape(gradInput.Shape, weight.Shape);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, gradInput.Shape, weight.Shape);
        // Forward y[n,o] = sum_i x[n,i] W[o,i]  =>  dx[n,i] = sum_o dy[n,o] W[o,i]: dx[N,in] = dy[N,out] * W[out,in].
        Gemm.Multiply(gradOutput, weight, gradInput, beta: accumulate ? 1f : 0f);
    }

    /// <summary>gradWeight (+)= gradOutput^T input.</summary>
    /// <param name="accumulate">Add to <paramref name="gradWeight"/> (the default: parameter gradients accumulate until an optimizer zeroes them).</param>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, bool accumulate = true)
    {
        TensorShape outShape = OutputShape(input.Shape, gradWeight.Shape);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, input.Shape, gradWeight.Shape);
        // Forward y[n,o] = sum_i x[n,i] W[o,i]  =>  dW[o,i] = sum_n dy[n,o] x[n,i]: dW[out,in] = (dy[N,out])^T * x[N,in].
        Gemm.Multiply(gradOutput, input, gradWeight, transposeA: true, beta: accumulate ? 1f : 0f);
    }

    /// <summary>gradBias[o] (+)= sum_n gradOutput[n,o].</summary>
    public static void BackwardBias(Tensor gradOutput, Tensor gradBias, bool accumulate = true)
    {
        if (gradOutput.Shape.Rank != 2) throw new ArgumentException($"Linear gradOutput must be [N, out]; got {gradOutput.Shape}.", nameof(gradOutput));
        // Forward y[n,o] = ... + b[o]  =>  db[o] = sum_n dy[n,o]: a per-channel sum of [N, out] (spatial size 1).
        ChannelReduction.Sum(gradOutput, null, gradBias, accumulate);
    }

    /// <summary>Multiply-adds of one forward pass: N * out * in.</summary>
    public static long MultiplyAdds(TensorShape input, TensorShape weight)
    {
        TensorShape o = OutputShape(input, weight);
        return (long)o[0] * o[1] * weight[1];
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, TensorShape weight)
    {
        if (actual != expected)
            throw new ArgumentException($"Linear {name} must be {expected} for input {input} and weight {weight}; got {actual}.", name);
    }
}
