namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Local response normalization across channels (AlexNet; ONNX <c>LRN</c>), no parameters; see <see cref="Lrn"/>.
/// Training Forward saves the denominator d = bias + alpha/size * window sum of x^2 for Backward.
/// </summary>
public sealed class LrnLayer : UnaryLayer
{
    private Tensor? _denominator, _input, _output; // _output: own output (owned by the base), read by Backward

    public LrnLayer(string name, LrnOptions? options = null) : base(name)
    {
        Options = options ?? LrnOptions.Default;
        Options.Validate();
    }

    public LrnOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input) => Lrn.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        TensorShape shape = OutputShape(input.Shape);
        Tensor output = _output = OutputTensor(input.Context, shape);
        Tensor? denominator = training ? Ensure(ref _denominator, input.Context, shape) : null;
        Lrn.Forward(input, output, Options, denominator);
        _input = training ? input : null;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        Lrn.Backward(input, _output!, _denominator!, gradOutput, gradInput, Options);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => Lrn.MultiplyAdds(input, Options);

    public override void Dispose()
    {
        _denominator?.Dispose();
        _output = _denominator = _input = null;
        base.Dispose();
    }
}
