namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Sum of its inputs: any number of same-shape inputs (a residual join, ONNX Sum, Keras Add) or two inputs
/// that broadcast (ONNX Add: [N,C,H,W] + [1,C,1,1]). No parameters.
/// Backward: d(sum)/d(input) is the identity, so an input with the output's shape receives gradOutput itself
/// (the same tensor, not a copy, valid as long as gradOutput is); a broadcast input receives gradOutput summed
/// over its broadcast axes, in a tensor this layer owns.
/// </summary>
public sealed class AddLayer : Layer
{
    private Tensor?[] _gradInputs = [];
    private TensorShape[] _inputShapes = [];

    public AddLayer(string name) : base(name) { }

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count < 2) throw new ArgumentException($"{this} needs at least two inputs; got {inputs.Count}.", nameof(inputs));
        if (inputs.Count == 2) return Elementwise.OutputShape(inputs[0], inputs[1]);
        for (int i = 1; i < inputs.Count; i++)
            if (inputs[i] != inputs[0])
                throw new ArgumentException(
                    $"{this} with {inputs.Count} inputs needs equal shapes (broadcasting takes exactly two); input 0 is {inputs[0]}, input {i} is {inputs[i]}.",
                    nameof(inputs));
        return inputs[0];
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        TensorShape[] shapes = inputs.Select(t => t.Shape).ToArray();
        Tensor output = OutputTensor(inputs[0].Context, OutputShape(shapes));
        // y = x0 + x1 (broadcasting), then y += x_i for the remaining same-shape inputs.
        Elementwise.Add(inputs[0], inputs[1], output);
        for (int i = 2; i < inputs.Count; i++) TensorMath.AddInPlace(output, inputs[i]);
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
        for (int i = 0; i < _inputShapes.Length; i++)
        {
            if (!needInputGradients[i]) continue;
            if (_inputShapes[i] == gradOutput.Shape)
            {
                result[i] = gradOutput;   // y = ... + x_i + ...  =>  dx_i = dy
                continue;
            }
            // y[o] = ... + x_i[o . stride_i]  =>  dx_i[t] = sum of dy over the positions that read x_i[t].
            Tensor gradInput = Ensure(ref _gradInputs[i], gradOutput.Context, _inputShapes[i]);
            Elementwise.SumToShape(gradOutput, gradInput);
            result[i] = gradInput;
        }
        return result;
    }

    /// <summary>One addition per output element per extra input.</summary>
    public override long MultiplyAdds(IReadOnlyList<TensorShape> inputs) => (long)OutputShape(inputs).ElementCount * (inputs.Count - 1);

    public override void Dispose()
    {
        foreach (Tensor? t in _gradInputs) t?.Dispose();
        _gradInputs = [];
        base.Dispose();
    }
}
