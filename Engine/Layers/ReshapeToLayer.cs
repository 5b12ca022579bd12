namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Gives the whole tensor (batch axis included) a fixed new shape with the same row-major values: what an imported
/// graph's Reshape, Flatten, Squeeze and Unsqueeze become once every shape is known. Unlike <see cref="ReshapeLayer"/>
/// it may change the first axis ([3,4] to [12], [1,12] to [3,4]). The values are copied (a GPU buffer copy; tensors
/// have no views) and the gradient is copied back the same way. No parameters.
/// </summary>
public sealed class ReshapeToLayer : UnaryLayer
{
    private TensorShape? _inputShape;

    public ReshapeToLayer(string name, TensorShape shape) : base(name) => Shape = shape;

    /// <summary>The output shape.</summary>
    public TensorShape Shape { get; }

    public override TensorShape OutputShape(TensorShape input) =>
        input.ElementCount == Shape.ElementCount
            ? Shape
            : throw new ArgumentException($"{this} to {Shape} needs {Shape.ElementCount} values; input {input} has {input.ElementCount}.", nameof(input));

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        TensorMath.Copy(input, output);
        _inputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _inputShape ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        // y = x in the same row-major order  =>  dx = dy with x's shape.
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        TensorMath.Copy(gradOutput, gradInput);
        return gradInput;
    }
}
