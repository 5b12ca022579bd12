namespace VisionPlugin.Engine;

/// <summary>
/// Inverted dropout on the GPU (Srivastava et al. 2014; the course notes' "invert dropout"), any tensor shape:
/// training y[i] = x[i] * m[i] / (1 - p) with m[i] ~ Bernoulli(1 - p), inference y = x. The mask m comes from
/// <see cref="DropoutMask"/>: element i (flat row-major index) of stream <c>seed</c>; Backward recomputes it from
/// the same seed, so nothing is stored. dx = dy * m / (1 - p).
/// </summary>
public static class Dropout
{
    private const string Op = "Dropout";

    /// <summary>Training: output = input * mask / (1 - p). Inference: output = input (a copy unless they are the same tensor).</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">The mask's stream (<see cref="DropoutMask.StreamSeed"/>): a new one every step, the same for its Backward.</param>
    /// <exception cref="ArgumentException">Shapes differ (the message names both); p is out of range.</exception>
    public static void Forward(Tensor input, Tensor output, float p, uint seed, bool training)
    {
        DropoutMask.ValidateProbability(p, Op, nameof(p));
        RequireSameShape(nameof(output), output.Shape, input.Shape);
        if (!training)
        {
            if (!ReferenceEquals(input, output)) TensorMath.Copy(input, output);
            return;
        }
        input.Context.Programs.Get("dropout_forward.comp")
            .Set("count", input.ElementCount).Set("seed", seed).Set("p", p).Set("scale", DropoutMask.KeepScale(p))
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(input.ElementCount);
    }

    /// <summary>gradInput (+)= gradOutput * mask / (1 - p) in training, gradOutput in inference.</summary>
    /// <param name="p">The forward pass's p.</param>
    /// <param name="seed">The forward pass's seed.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void Backward(Tensor gradOutput, Tensor gradInput, float p, uint seed, bool training, bool accumulate = false)
    {
        DropoutMask.ValidateProbability(p, Op, nameof(p));
        RequireSameShape(nameof(gradInput), gradInput.Shape, gradOutput.Shape);
        if (!training)
        {
            TensorMath.Axpby(gradOutput, gradInput, 1f, accumulate ? 1f : 0f);
            return;
        }
        gradOutput.Context.Programs.Get("dropout_backward.comp")
            .Set("count", gradOutput.ElementCount).Set("seed", seed).Set("p", p).Set("scale", DropoutMask.KeepScale(p))
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, gradInput)
            .DispatchLinear(gradOutput.ElementCount);
    }

    private static void RequireSameShape(string name, TensorShape actual, TensorShape expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{Op} {name} must have shape {expected}; got {actual}.", name);
    }
}
