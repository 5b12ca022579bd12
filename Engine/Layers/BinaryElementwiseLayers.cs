namespace VisionPlugin.Engine.Layers;

/// <summary>
/// y = a (op) b for two inputs with NumPy/ONNX broadcasting (see <see cref="Elementwise"/>): the ONNX Sub, Mul,
/// Div, Max, Min and Pow nodes (Mul by a [1,C,1,1] tensor is a squeeze-and-excitation gate or a per-channel scale). No
/// parameters. Forward keeps references to both inputs, which Backward reads (mul, div).
/// </summary>
public abstract class BinaryElementwiseLayer : Layer
{
    private Tensor? _gradA, _gradB, _a, _b;

    protected BinaryElementwiseLayer(string name, BinaryOperator op) : base(name) => Operator = op;

    public BinaryOperator Operator { get; }

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 2) throw new ArgumentException($"{this} takes two inputs; got {inputs.Count}.", nameof(inputs));
        return Elementwise.OutputShape(inputs[0], inputs[1], Operator);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        Tensor output = OutputTensor(inputs[0].Context, OutputShape([inputs[0].Shape, inputs[1].Shape]));
        Elementwise.Forward(Operator, inputs[0], inputs[1], output);
        _a = inputs[0];
        _b = inputs[1];
        return output;
    }

    public override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients)
    {
        Tensor a = _a ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        Tensor b = _b!;
        if (needInputGradients.Count != 2) throw new ArgumentException($"{this} has two inputs; got {needInputGradients.Count} flags.", nameof(needInputGradients));
        Tensor? gradA = needInputGradients[0] ? Ensure(ref _gradA, a.Context, a.Shape) : null;
        Tensor? gradB = needInputGradients[1] ? Ensure(ref _gradB, b.Context, b.Shape) : null;
        Elementwise.Backward(Operator, a, b, gradOutput, gradA, gradB);
        return [gradA, gradB];
    }

    /// <summary>One operation per output element.</summary>
    public override long MultiplyAdds(IReadOnlyList<TensorShape> inputs) => OutputShape(inputs).ElementCount;

    public override void Dispose()
    {
        _gradA?.Dispose();
        _gradB?.Dispose();
        _gradA = _gradB = null;
        base.Dispose();
    }
}

/// <summary>y = a - b with broadcasting (ONNX Sub); da = dy, db = -dy, each summed over its broadcast axes.</summary>
public sealed class SubLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Sub);

/// <summary>y = a * b with broadcasting (ONNX Mul); da = dy * b, db = dy * a, each summed over its broadcast axes.</summary>
public sealed class MulLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Mul);

/// <summary>y = a / b with broadcasting (ONNX Div); da = dy / b, db = -dy * a / b^2, each summed over its broadcast axes.</summary>
public sealed class DivLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Div);

/// <summary>y = max(a, b) with broadcasting (ONNX Max of two inputs); the larger operand takes dy (a on ties), summed over its broadcast axes.</summary>
public sealed class MaxLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Max);

/// <summary>y = min(a, b) with broadcasting (ONNX Min of two inputs); the smaller operand takes dy (a on ties), summed over its broadcast axes.</summary>
public sealed class MinLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Min);

/// <summary>y = a^b with broadcasting (ONNX Pow); da = dy * b * a^(b-1), db = dy * a^b * ln a, each summed over its broadcast axes.</summary>
public sealed class PowLayer(string name) : BinaryElementwiseLayer(name, BinaryOperator.Pow);
