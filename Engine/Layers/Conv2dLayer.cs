using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Convolution layer: weight [K, C/groups, KH, KW] (He-normal by default), optional bias [K] (zeros).
/// Forward y = conv(x, w) + b; Backward gives dx and accumulates dw, db (see <see cref="Conv2d"/>). Every
/// backward-input kernel can take the derivative of a clamp activation feeding x (<see cref="IFusesInputActivationBackward"/>).
/// </summary>
public sealed class Conv2dLayer : UnaryLayer, IFusesInputActivationBackward
{
    private readonly Parameter[] _parameters;
    private Tensor? _input;

    public Conv2dLayer(GpuContext context, string name, int inChannels, int outChannels, int kernelH, int kernelW,
        Conv2dOptions? options = null, bool bias = true, Initializer? weightInit = null, Random? random = null) : base(name)
    {
        Options = options ?? Conv2dOptions.Default;
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Conv2d '{name}' needs positive sizes; got in {inChannels}, out {outChannels}, kernel {kernelH}x{kernelW}.");
        if (inChannels % Options.Groups != 0 || outChannels % Options.Groups != 0)
            throw new ArgumentException($"Conv2d '{name}': groups {Options.Groups} must divide in {inChannels} and out {outChannels} channels.", nameof(options));
        random ??= new Random(0);
        Weight = new Parameter(context, name + ".weight", new TensorShape(outChannels, inChannels / Options.Groups, kernelH, kernelW));
        Weight.Initialize(weightInit ?? Initializer.HeNormal(), random);
        if (bias) Bias = new Parameter(context, name + ".bias", new TensorShape(outChannels)) { DecayWeights = false };
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    public Conv2dOptions Options { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => Conv2d.OutputShape(input, Weight.Shape, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        Conv2d.Forward(input, Weight.Value, Bias?.Value, output, Options);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient) => Backward(gradOutput, needInputGradient, null);

    /// <inheritdoc/>
    public Tensor? BackwardThroughInputActivation(Tensor gradOutput, bool needInputGradient, ActivationDerivativeMask inputActivation) =>
        Backward(gradOutput, needInputGradient, inputActivation);

    /// <param name="inputActivation">Null, or the derivative of the activation that wrote the input, applied to dx.</param>
    private Tensor? Backward(Tensor gradOutput, bool needInputGradient, ActivationDerivativeMask? inputActivation)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (Weight.Trainable) Conv2d.BackwardWeight(input, gradOutput, Weight.Gradient, Options);
        if (Bias is { Trainable: true }) Conv2d.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        if (inputActivation is { } mask) Conv2d.BackwardInputThroughActivation(gradOutput, Weight.Value, gradInput, Options, input, mask);
        else Conv2d.BackwardInput(gradOutput, Weight.Value, gradInput, Options);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => Conv2d.MultiplyAdds(input, Weight.Shape, Options);

}
