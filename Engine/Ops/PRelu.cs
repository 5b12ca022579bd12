namespace VisionPlugin.Engine;

/// <summary>
/// Parametric ReLU (He et al. 2015) on the GPU: y[n,c,...] = x > 0 ? x : a[c] * x with a learnable
/// slope per channel (slope of C elements, e.g. shape [C] or ONNX's [C,1,1]) or one slope shared by
/// every channel (1 element). Input [N, C, ...] of rank 2 or more; output has the input's shape.
/// Backward writes dx and accumulates the slope gradient
/// dL/da[c] = sum_{n,...} dy[n,c,...] * min(x[n,c,...], 0)   (summed over channels too when shared).
/// </summary>
public static class PRelu
{
    /// <summary>Validates the shapes and returns the number of slopes (C or 1).</summary>
    /// <exception cref="ArgumentException">The input is not [N, C, ...] or the slope has neither C nor 1 element; the message names both shapes.</exception>
    public static int SlopeCount(TensorShape input, TensorShape slope)
    {
        if (input.Rank < 2) throw new ArgumentException($"PRelu expects an [N, C, ...] input; got {input}.", nameof(input));
        int count = slope.ElementCount;
        if (count != input.C && count != 1)
            throw new ArgumentException($"PRelu slope must have {input.C} elements (one per channel) or 1 (shared) for input {input}; got slope {slope}.", nameof(slope));
        return count;
    }

    /// <summary>output = input > 0 ? input : slope[c] * input.</summary>
    /// <exception cref="ArgumentException">Shapes are inconsistent; the message names them.</exception>
    public static void Forward(Tensor input, Tensor slope, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(slope);
        ArgumentNullException.ThrowIfNull(output);
        int slopeCount = SlopeCount(input.Shape, slope.Shape);
        RequireInputShape("output", output.Shape, input.Shape);
        SetShape(input.Context.Programs.Get("prelu_forward.comp"), input.Shape, slopeCount)
            .Bind(0, input).Bind(1, slope).Bind(2, output)
            .DispatchLinear(input.ElementCount);
    }

    /// <summary>
    /// gradInput (+)= dL/dinput, and gradSlope += dL/dslope (parameter gradients always accumulate;
    /// optimizers zero them). Pass a null <paramref name="gradSlope"/> for a frozen slope.
    /// One pass writes dx and the terms dy * min(x, 0) into a temporary tensor of the input's size
    /// (freed before returning); <see cref="ChannelReduction"/> then sums the terms per slope.
    /// </summary>
    /// <param name="input">The forward input x.</param>
    /// <param name="slope">The slopes the forward pass used.</param>
    /// <param name="gradSlope">Same element count as <paramref name="slope"/>, or null to skip the slope gradient.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    /// <exception cref="ArgumentException">Shapes are inconsistent; the message names them.</exception>
    public static void Backward(Tensor input, Tensor slope, Tensor gradOutput, Tensor gradInput, Tensor? gradSlope, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(slope);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(gradInput);
        TensorShape shape = input.Shape;
        int slopeCount = SlopeCount(shape, slope.Shape);
        RequireInputShape("gradOutput", gradOutput.Shape, shape);
        RequireInputShape("gradInput", gradInput.Shape, shape);
        if (gradSlope is not null && gradSlope.ElementCount != slopeCount)
            throw new ArgumentException($"PRelu gradSlope must have {slopeCount} elements like slope {slope.Shape}; got {gradSlope.Shape}.", nameof(gradSlope));

        // terms[i] = dy[i] * min(x[i], 0), viewed as [N, slopeCount, rest] so that a channel sum gives dL/da.
        int batch = shape.N;
        int rest = batch * slopeCount == 0 ? 0 : shape.ElementCount / (batch * slopeCount);
        using Tensor? terms = gradSlope is null ? null : new Tensor(input.Context, batch, slopeCount, rest);
        SetShape(input.Context.Programs.Get("prelu_backward.comp"), shape, slopeCount)
            .Set("beta", accumulate ? 1f : 0f)
            .Set("writeTerms", terms is null ? 0 : 1)
            .Bind(0, input).Bind(1, slope).Bind(2, gradOutput).Bind(3, gradInput).Bind(4, (terms ?? gradInput).Buffer)
            .DispatchLinear(shape.ElementCount);
        if (terms is not null && gradSlope is not null)
            ChannelReduction.Sum(terms, null, gradSlope, accumulate: true);
    }

    private static ComputeProgram SetShape(ComputeProgram program, TensorShape input, int slopeCount)
    {
        int channels = input.C;
        int spatial = input.N * channels == 0 ? 0 : input.ElementCount / (input.N * channels);
        return program.Set("count", input.ElementCount).Set("C", channels).Set("S", spatial).Set("slopeCount", slopeCount);
    }

    private static void RequireInputShape(string name, TensorShape actual, TensorShape input)
    {
        if (actual != input)
            throw new ArgumentException($"PRelu {name} must have the input's shape {input}; got {actual}.", name);
    }
}
