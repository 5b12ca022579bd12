namespace VisionPlugin.Engine.Layers;

/// <summary>
/// 2-D average pooling (see <see cref="AvgPool2d"/> for the divisor rules). No parameters. Its backward kernel can take
/// the derivative of a clamp activation feeding it (<see cref="IFusesInputActivationBackward"/>; MobileNetV2's out_relu).
/// </summary>
public sealed class AvgPool2dLayer : UnaryLayer, IFusesInputActivationBackward
{
        private TensorShape? _inputShape;
    private Tensor? _input;   // the forward input, read only by BackwardThroughInputActivation (a fused activation's output)

    public AvgPool2dLayer(string name, Pool2dOptions options) : base(name) => Options = options ?? throw new ArgumentNullException(nameof(options));

    public Pool2dOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input) => AvgPool2d.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        AvgPool2d.Forward(input, output, Options);
        _inputShape = input.Shape;
        _input = input;
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

    /// <inheritdoc/>
    public Tensor? BackwardThroughInputActivation(Tensor gradOutput, bool needInputGradient, ActivationDerivativeMask inputActivation)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, input.Shape);
        AvgPool2d.BackwardThroughActivation(gradOutput, gradInput, Options, input, inputActivation);
        return gradInput;
    }

    /// <summary>One addition per window tap: outputs * KH * KW.</summary>
    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input).ElementCount * Options.KernelH * Options.KernelW;

}
