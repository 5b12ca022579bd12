namespace VisionPlugin.Engine.Layers;

/// <summary>
/// ONNX Flatten: a tensor [d0, ..., d(r-1)] becomes the matrix
/// [d0 * ... * d(axis-1), d(axis) * ... * d(r-1)]; the default axis 1 turns NCHW into [N, C*H*W]
/// for a <see cref="LinearLayer"/>. Axis may be in [-rank, rank] (0 gives [1, all]).
/// Row-major order is unchanged, so the values are copied as they are (a GPU buffer copy;
/// tensors have no views) and the gradient is copied back the same way.
/// </summary>
public sealed class FlattenLayer : UnaryLayer
{
        private TensorShape? _inputShape;

    public FlattenLayer(string name, int axis = 1) : base(name) => Axis = axis;

    public int Axis { get; }

    public override TensorShape OutputShape(TensorShape input)
    {
        int rank = input.Rank;
        if (Axis < -rank || Axis > rank)
            throw new ArgumentOutOfRangeException(nameof(input), $"Flatten '{Name}' axis {Axis} is outside [-{rank}, {rank}] for input {input}.");
        int axis = Axis < 0 ? Axis + rank : Axis;
        int rows = 1, columns = 1;
        for (int i = 0; i < axis; i++) rows *= input[i];
        for (int i = axis; i < rank; i++) columns *= input[i];
        return new TensorShape(rows, columns);
    }

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
        // Forward y = x read in the same row-major order  =>  dx = dy with x's shape.
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        TensorMath.Copy(gradOutput, gradInput);
        return gradInput;
    }

}
