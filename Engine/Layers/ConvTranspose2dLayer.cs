using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Transposed convolution layer (upsampling decoder stage): weight [C, K/groups, KH, KW] (He-normal by default,
/// PyTorch/ONNX layout), optional bias [K] (zeros). Forward y = convtranspose(x, w) + b; Backward gives dx and
/// accumulates dw, db (see <see cref="ConvTranspose2d"/>).
/// </summary>
public sealed class ConvTranspose2dLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input;

    public ConvTranspose2dLayer(GpuContext context, string name, int inChannels, int outChannels, int kernelH, int kernelW,
        ConvTranspose2dOptions? options = null, bool bias = true, Initializer? weightInit = null, Random? random = null) : base(name)
    {
        Options = options ?? ConvTranspose2dOptions.Default;
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"ConvTranspose2d '{name}' needs positive sizes; got in {inChannels}, out {outChannels}, kernel {kernelH}x{kernelW}.");
        if (Options.Groups < 1 || inChannels % Options.Groups != 0 || outChannels % Options.Groups != 0)
            throw new ArgumentException($"ConvTranspose2d '{name}': groups {Options.Groups} must divide in {inChannels} and out {outChannels} channels.", nameof(options));
        random ??= new Random(0);
        Weight = new Parameter(context, name + ".weight", new TensorShape(inChannels, outChannels / Options.Groups, kernelH, kernelW));
        Weight.Initialize(weightInit ?? Initializer.HeNormal(), random);
        if (bias) Bias = new Parameter(context, name + ".bias", new TensorShape(outChannels)) { DecayWeights = false };
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    public ConvTranspose2dOptions Options { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => ConvTranspose2d.OutputShape(input, Weight.Shape, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        ConvTranspose2d.Forward(input, Weight.Value, Bias?.Value, output, Options);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (Weight.Trainable) ConvTranspose2d.BackwardWeight(input, gradOutput, Weight.Gradient, Options);
        if (Bias is { Trainable: true }) ConvTranspose2d.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        ConvTranspose2d.BackwardInput(gradOutput, Weight.Value, gradInput, Options);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => ConvTranspose2d.MultiplyAdds(input, Weight.Shape, Options);

}
