namespace VisionPlugin.Engine.Layers;

/// <summary>2-D average pooling (see <see cref="AvgPool2d"/> for the divisor rules). No parameters.</summary>
public sealed class AvgPool2dLayer : UnaryLayer
{
        private TensorShape? _inputShape;

    public AvgPool2dLayer(string name, Pool2dOptions options) : base(name) => Options = options ?? throw new ArgumentNullException(nameof(options));

    public Pool2dOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input) => AvgPool2d.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        AvgPool2d.Forward(input, output, Options);
        _inputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _inputShape ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        AvgPool2d.Backward(gradOutput, gradInput, Options);
        return gradInput;
    }

    /// <summary>One addition per window tap: outputs * KH * KW.</summary>
    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input).ElementCount * Options.KernelH * Options.KernelW;

}
