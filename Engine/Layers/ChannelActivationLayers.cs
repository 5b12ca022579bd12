namespace VisionPlugin.Engine.Layers;

/// <summary>CReLU: [N,C,...] -> [N,2C,...], channels [relu(x), relu(-x)].</summary>
public sealed class CReluLayer(string name) : UnaryLayer(name)
{
    private Tensor? _input;

    public override TensorShape OutputShape(TensorShape input) => CRelu.OutputShape(input);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        CRelu.Forward(input, output);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        if (!needInputGradient) return null;
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        CRelu.Backward(input, gradOutput, gradInput);
        return gradInput;
    }

}

/// <summary>Maxout over k consecutive channels: [N,C,...] -> [N,C/k,...].</summary>
public sealed class MaxoutLayer : UnaryLayer
{
    private Tensor? _input;

    public MaxoutLayer(string name, int pieces) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pieces, 1);
        Pieces = pieces;
    }

    public int Pieces { get; }

    public override TensorShape OutputShape(TensorShape input) => Maxout.OutputShape(input, Pieces);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        Maxout.Forward(input, output, Pieces);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        if (!needInputGradient) return null;
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        Maxout.Backward(input, gradOutput, gradInput, Pieces);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => input.ElementCount;

}
