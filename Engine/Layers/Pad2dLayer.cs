namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Spatial padding or cropping (Keras ZeroPadding2D / Cropping2D, ONNX Pad on H and W): zero by default,
/// or constant, reflect or edge (see <see cref="Pad2d"/>). No parameters.
/// </summary>
public sealed class Pad2dLayer : UnaryLayer
{
        private TensorShape? _inputShape;

    public Pad2dLayer(string name, Pad2dOptions options) : base(name) => Options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Zero padding per side (negative amounts crop).</summary>
    public Pad2dLayer(string name, Padding2d padding) : this(name, Pad2dOptions.Zero(padding)) { }

    public Pad2dOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input) => Pad2d.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        Pad2d.Forward(input, output, Options);
        _inputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _inputShape ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        Pad2d.Backward(gradOutput, gradInput, Options);
        return gradInput;
    }

}
