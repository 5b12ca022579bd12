namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Concatenation of its inputs along one axis (channels by default: Inception and DenseNet joins, U-Net skips;
/// any axis, negative from the end, as ONNX Concat). No parameters. Backward hands each input its slab of the
/// output gradient, in tensors this layer owns.
/// </summary>
public sealed class ConcatLayer : Layer
{
    private Tensor?[] _gradInputs = [];
    private TensorShape[] _inputShapes = [];

    /// <param name="axis">The axis to join along; 1 = channels of NCHW.</param>
    public ConcatLayer(string name, int axis = 1) : base(name) => Axis = axis;

    public int Axis { get; }

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs) => Concat.OutputShape(inputs, Axis);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        TensorShape[] shapes = inputs.Select(t => t.Shape).ToArray();
        Tensor output = OutputTensor(inputs[0].Context, OutputShape(shapes));
        Concat.Forward(inputs, output, Axis);
        _inputShapes = shapes;
        return output;
    }

    public override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients)
    {
        if (_inputShapes.Length == 0) throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (needInputGradients.Count != _inputShapes.Length)
            throw new ArgumentException($"{this} has {_inputShapes.Length} inputs; got {needInputGradients.Count} flags.", nameof(needInputGradients));
        if (_gradInputs.Length != _inputShapes.Length) _gradInputs = new Tensor?[_inputShapes.Length];
        var result = new Tensor?[_inputShapes.Length];
        for (int j = 0; j < _inputShapes.Length; j++)
            if (needInputGradients[j]) result[j] = Ensure(ref _gradInputs[j], gradOutput.Context, _inputShapes[j]);
        Concat.Backward(gradOutput, _inputShapes, result, Axis);
        return result;
    }

    public override void Dispose()
    {
        foreach (Tensor? t in _gradInputs) t?.Dispose();
        _gradInputs = [];
        base.Dispose();
    }
}
