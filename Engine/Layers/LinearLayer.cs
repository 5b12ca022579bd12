using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Fully connected layer: weight [out, in] (He-normal by default; pass
/// <see cref="Initializer.XavierUniform"/> or <see cref="Initializer.XavierNormal"/> for a head
/// not followed by ReLU), optional bias [out] (zeros). Input [N, in] (put a <see cref="FlattenLayer"/>
/// in front of an NCHW tensor). Forward y = x W^T + b; Backward gives dx and accumulates dW, db
/// (see <see cref="Linear"/>).
/// </summary>
public sealed class LinearLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input;

    public LinearLayer(GpuContext context, string name, int inFeatures, int outFeatures, bool bias = true,
        Initializer? weightInit = null, Random? random = null) : base(name)
    {
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear '{name}' needs positive sizes; got in {inFeatures}, out {outFeatures}.");
        random ??= new Random(0);
        Weight = new Parameter(context, name + ".weight", new TensorShape(outFeatures, inFeatures));
        Weight.Initialize(weightInit ?? Initializer.HeNormal(), random); // applied when first used (lazy storage)
        if (bias) Bias = new Parameter(context, name + ".bias", new TensorShape(outFeatures)) { DecayWeights = false };
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    public int InFeatures => Weight.Shape[1];
    public int OutFeatures => Weight.Shape[0];
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => Linear.OutputShape(input, Weight.Shape);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        Linear.Forward(input, Weight.Value, Bias?.Value, output);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (Weight.Trainable) Linear.BackwardWeight(input, gradOutput, Weight.Gradient);
        if (Bias is { Trainable: true }) Linear.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        Linear.BackwardInput(gradOutput, Weight.Value, gradInput);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => Linear.MultiplyAdds(input, Weight.Shape);

}
