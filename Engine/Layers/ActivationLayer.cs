namespace VisionPlugin.Engine.Layers;

/// <summary>
/// An element-wise activation (<see cref="ActivationKind"/>) as a layer. In training, randomized
/// kinds (RReLU, Noisy ReLU) draw new slopes/noise every step: the seed advances per Forward, and
/// Backward reuses the step's seed so it recomputes exactly the forward draws. In a <see cref="Models.Model"/>'s training
/// backward, a ReLU / ReLU6 / Clip whose only consumer can apply its derivative is not called at all: the consumer's
/// backward-input kernel multiplies it in (<see cref="Models.ActivationBackwardFusion"/>).
/// </summary>
public sealed class ActivationLayer : UnaryLayer, IRandomizedLayer
{
    private readonly ActivationOptions _options;
    private Tensor? _input, _output; // _output: this layer's own output (owned by the base), read by Backward
    private bool _training;

    public ActivationLayer(string name, ActivationOptions options) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public ActivationOptions Options => _options;

    /// <summary>Training steps taken (advances the RReLU / Noisy ReLU seed).</summary>
    public long Step { get; set; }

    /// <summary>The options of the current step (seed = base seed + step for randomized kinds).</summary>
    private ActivationOptions StepOptions => _options.Kind is ActivationKind.RRelu or ActivationKind.NoisyRelu
        ? _options with { Seed = unchecked(_options.Seed * 0x9E3779B9u + (uint)Step) }
        : _options;

    public override TensorShape OutputShape(TensorShape input) => input;

    public override Tensor Forward(Tensor input, bool training)
    {
        if (training) Step++;
        Tensor output = _output = OutputTensor(input.Context, input.Shape);
        Activation.Forward(input, output, StepOptions, training);
        _input = input;
        _training = training;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        if (!needInputGradient) return null;
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        Activation.Backward(input, _output!, gradOutput, gradInput, StepOptions, _training);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => input.ElementCount;

}
