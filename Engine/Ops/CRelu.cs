namespace VisionPlugin.Engine;

/// <summary>
/// Concatenated ReLU (Shang et al. 2016) on the GPU: y = concat(relu(x), relu(-x)) along the channel
/// axis, [N, C, ...] -> [N, 2C, ...]: channels 0..C-1 hold max(x, 0), channels C..2C-1 hold max(-x, 0).
/// Input of rank 2 or more.
/// </summary>
public static class CRelu
{
    /// <summary>Validates the input and returns [N, 2C, ...].</summary>
    /// <exception cref="ArgumentException">The input is not [N, C, ...].</exception>
    public static TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank < 2) throw new ArgumentException($"CRelu expects an [N, C, ...] input; got {input}.", nameof(input));
        int[] dims = input.Dimensions.ToArray();
        dims[1] *= 2;
        return new TensorShape(dims);
    }

    /// <summary>output = concat(max(input, 0), max(-input, 0)) along channels.</summary>
    /// <exception cref="ArgumentException">The output is not [N, 2C, ...]; the message names both shapes.</exception>
    public static void Forward(Tensor input, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        RequireShape("output", output.Shape, OutputShape(input.Shape), input.Shape);
        SetShape(input.Context.Programs.Get("crelu_forward.comp"), input.Shape)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(input.ElementCount);
    }

    /// <summary>gradInput (+)= (x > 0 ? dy[:, c] : 0) - (x &lt; 0 ? dy[:, C + c] : 0).</summary>
    /// <param name="input">The forward input x.</param>
    /// <param name="gradOutput">[N, 2C, ...].</param>
    /// <param name="gradInput">[N, C, ...], the input's shape.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    /// <exception cref="ArgumentException">Shapes are inconsistent; the message names them.</exception>
    public static void Backward(Tensor input, Tensor gradOutput, Tensor gradInput, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(gradInput);
        RequireShape("gradOutput", gradOutput.Shape, OutputShape(input.Shape), input.Shape);
        RequireShape("gradInput", gradInput.Shape, input.Shape, input.Shape);
        SetShape(input.Context.Programs.Get("crelu_backward.comp"), input.Shape)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, gradOutput).Bind(2, gradInput)
            .DispatchLinear(input.ElementCount);
    }

    private static ComputeProgram SetShape(ComputeProgram program, TensorShape input)
    {
        int spatial = input.N * input.C == 0 ? 0 : input.ElementCount / (input.N * input.C);
        return program.Set("count", input.ElementCount).Set("C", input.C).Set("S", spatial);
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input)
    {
        if (actual != expected)
            throw new ArgumentException($"CRelu {name} must be {expected} for input {input}; got {actual}.", name);
    }
}
