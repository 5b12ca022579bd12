namespace VisionPlugin.Engine;

/// <summary>
/// Element-wise activations on the GPU, forward and backward: y[i] = f(x[i]) for the kinds in
/// <see cref="ActivationKind"/>, any tensor shape (output shape = input shape). The formulas live in
/// <c>activations.glsl</c>; each kind is its own program variant. In training, RRelu and NoisyRelu
/// draw per-element slopes / noise from the counter RNG keyed by (<see cref="ActivationOptions.Seed"/>,
/// flat element index), and Backward recomputes them from the same options, so no mask is stored.
/// In inference RRelu runs as LeakyRelu with slope (lower + upper) / 2 and NoisyRelu as Relu.
/// </summary>
public static class Activation
{
    /// <summary>output[i] = f(input[i]).</summary>
    /// <param name="output">Same shape as <paramref name="input"/>; may be <paramref name="input"/> itself
    /// (in place) when Backward will not need the input, e.g. in inference.</param>
    /// <param name="training">Only RRelu and NoisyRelu read it: random slopes / noise in training, their mean in inference.</param>
    /// <exception cref="ArgumentException">Shapes differ (the message names both) or the options are out of range.</exception>
    public static void Forward(Tensor input, Tensor output, ActivationOptions options, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        RequireSameShape("output", output.Shape, input.Shape, options);
        Program(input.Context, "activation_forward.comp", options, training)
            .Set("count", input.ElementCount)
            .Bind(0, input).Bind(1, output)
            .DispatchLinear(input.ElementCount);
    }

    /// <summary>gradInput = (accumulate ? gradInput : 0) + gradOutput * f'(input).</summary>
    /// <param name="input">The forward input x.</param>
    /// <param name="output">The forward output y = f(x) (Sigmoid and Tanh differentiate through it: f' = y(1-y), 1-y^2).</param>
    /// <param name="options">The options the forward pass ran with (the same seed for randomized kinds).</param>
    /// <param name="training">The mode the forward pass ran in.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A shape differs from the input's (the message names both) or the options are out of range.</exception>
    public static void Backward(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput, ActivationOptions options,
        bool training, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(gradInput);
        RequireSameShape("output", output.Shape, input.Shape, options);
        RequireSameShape("gradOutput", gradOutput.Shape, input.Shape, options);
        RequireSameShape("gradInput", gradInput.Shape, input.Shape, options);
        Program(input.Context, "activation_backward.comp", options, training)
            .Set("count", input.ElementCount)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, output).Bind(2, gradOutput).Bind(3, gradInput)
            .DispatchLinear(input.ElementCount);
    }

    /// <summary>
    /// The options the shader actually runs for this mode: inference RRelu becomes LeakyRelu with
    /// alpha = (lower + upper) / 2, inference NoisyRelu becomes Relu; everything else is unchanged.
    /// </summary>
    public static ActivationOptions Effective(ActivationOptions options, bool training)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (training) return options;
        return options.Kind switch
        {
            ActivationKind.RRelu => ActivationOptions.LeakyRelu((options.Lower + options.Upper) / 2),
            ActivationKind.NoisyRelu => ActivationOptions.Relu(),
            _ => options,
        };
    }

    private static ComputeProgram Program(GpuContext context, string shader, ActivationOptions options, bool training)
    {
        ActivationOptions o = Effective(options, training);
        return context.Programs.Get(shader, Variants[o.Kind])
            .Set("act_alpha", o.Alpha).Set("act_beta", o.Beta).Set("act_scale", o.Scale)
            .Set("act_min", o.Min).Set("act_max", o.Max)
            .Set("act_lower", o.Lower).Set("act_upper", o.Upper)
            .Set("act_sigma", o.Sigma).Set("act_seed", o.Seed);
    }

    /// <summary>The define that selects each kind's program variant, e.g. LeakyRelu -> { ACTIVATION_LEAKYRELU: 1 }.</summary>
    private static readonly Dictionary<ActivationKind, IReadOnlyDictionary<string, string>> Variants =
        Enum.GetValues<ActivationKind>().ToDictionary(
            kind => kind,
            kind => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                ["ACTIVATION_" + kind.ToString().ToUpperInvariant()] = "1",
            });

    private static void RequireSameShape(string name, TensorShape actual, TensorShape input, ActivationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (actual != input)
            throw new ArgumentException($"{options} {name} must have the input's shape {input}; got {actual}.", name);
    }
}
