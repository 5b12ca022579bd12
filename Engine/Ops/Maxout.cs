namespace VisionPlugin.Engine;

/// <summary>
/// Maxout over channels (Goodfellow et al. 2013) on the GPU with k pieces:
/// [N, C, ...] -> [N, C/k, ...], y[n, g, ...] = max_{j &lt; k} x[n, g*k + j, ...].
/// Grouping: output channel g takes the k CONSECUTIVE input channels g*k .. g*k + k - 1 (reshape to
/// [N, C/k, k, ...] and take the max over the k axis). The linear pieces w_j^T x + b_j of the paper are
/// whatever layer produced the C channels, typically a convolution with C = k * outputs.
/// Backward routes each dy to the first argmax (ties go to the lowest channel), recomputed from x.
/// </summary>
public static class Maxout
{
    /// <summary>Validates and returns [N, C/k, ...].</summary>
    /// <exception cref="ArgumentException">The input is not [N, C, ...], pieces &lt; 1, or C is not a multiple of pieces.</exception>
    public static TensorShape OutputShape(TensorShape input, int pieces)
    {
        if (input.Rank < 2) throw new ArgumentException($"Maxout expects an [N, C, ...] input; got {input}.", nameof(input));
        if (pieces < 1) throw new ArgumentOutOfRangeException(nameof(pieces), $"Maxout needs pieces >= 1; got {pieces} for input {input}.");
        if (input.C % pieces != 0)
            throw new ArgumentException($"Maxout needs the channel count {input.C} to be a multiple of pieces {pieces}; input {input}.", nameof(pieces));
        int[] dims = input.Dimensions.ToArray();
        dims[1] /= pieces;
        return new TensorShape(dims);
    }

    /// <summary>output[n, g, ...] = max_j input[n, g*pieces + j, ...].</summary>
    /// <exception cref="ArgumentException">The shapes or pieces are inconsistent; the message names both shapes.</exception>
    public static void Forward(Tensor input, Tensor output, int pieces)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        TensorShape outShape = OutputShape(input.Shape, pieces);
        RequireShape("output", output.Shape, outShape, input.Shape, pieces);
        SetShape(input.Context.Programs.Get("maxout_forward.comp"), outShape, pieces)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= gradOutput routed to the first argmax of each group, 0 elsewhere.</summary>
    /// <param name="input">The forward input x (the argmax is recomputed from it).</param>
    /// <param name="gradOutput">[N, C/k, ...].</param>
    /// <param name="gradInput">[N, C, ...], the input's shape.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    public static void Backward(Tensor input, Tensor gradOutput, Tensor gradInput, int pieces, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(gradInput);
        TensorShape outShape = OutputShape(input.Shape, pieces);
        RequireShape("gradOutput", gradOutput.Shape, outShape, input.Shape, pieces);
        RequireShape("gradInput", gradInput.Shape, input.Shape, input.Shape, pieces);
        SetShape(input.Context.Programs.Get("maxout_backward.comp"), outShape, pieces)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, gradOutput).Bind(2, gradInput)
            .DispatchLinear(outShape.ElementCount);
    }

    private static ComputeProgram SetShape(ComputeProgram program, TensorShape output, int pieces)
    {
        int spatial = output.N * output.C == 0 ? 0 : output.ElementCount / (output.N * output.C);
        return program.Set("count", output.ElementCount).Set("G", output.C).Set("S", spatial).Set("k", pieces);
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, int pieces)
    {
        if (actual != expected)
            throw new ArgumentException($"Maxout {name} must be {expected} for input {input} with {pieces} pieces; got {actual}.", name);
    }
}
