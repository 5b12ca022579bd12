using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Parametric ReLU with a learnable slope per channel (or one shared slope), initialised to 0.25
/// as in He et al. 2015. The slope is not weight-decayed.
/// </summary>
public sealed class PReluLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _input;

    /// <param name="channels">Number of slopes: the input's channel count, or 1 for a shared slope.</param>
    public PReluLayer(GpuContext context, string name, int channels, float initialSlope = 0.25f) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Slope = new Parameter(context, name + ".slope", new TensorShape(channels)) { DecayWeights = false };
        Slope.Initialize(Initializer.Constant(initialSlope), new Random(0));
        _parameters = [Slope];
    }

    public Parameter Slope { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input)
    {
        PRelu.SlopeCount(input, Slope.Shape);
        return input;
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        PRelu.Forward(input, Slope.Value, output);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        // PRelu computes dx in the same pass as the slope terms, so dx is always produced.
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        PRelu.Backward(input, Slope.Value, gradOutput, gradInput, Slope.Trainable ? Slope.Gradient : null);
        return needInputGradient ? gradInput : null;
    }

    public override long MultiplyAdds(TensorShape input) => input.ElementCount;

}
