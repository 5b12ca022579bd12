namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A node with no inputs whose output is a fixed tensor held as a <see cref="Parameter"/> (<see cref="Value"/>):
/// an imported graph's constant operand (ONNX initializer or Constant feeding Add, Mul, Concat...). Forward returns
/// the parameter's value tensor itself; Backward adds dL/dy to the parameter's gradient when it is trainable, so the
/// gradient of a weight used as a plain operand can be read like any other. Set <see cref="Parameter.Trainable"/>
/// to false for true constants (nothing is then computed for them).
/// </summary>
public sealed class ConstantLayer : Layer
{
    private readonly Parameter[] _parameters;

    public ConstantLayer(GpuContext context, string name, TensorShape shape) : base(name)
    {
        Value = new Parameter(context, name + ".value", shape) { DecayWeights = false };
        _parameters = [Value];
    }

    /// <summary>The output tensor and its gradient.</summary>
    public Parameter Value { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs) =>
        inputs.Count == 0 ? Value.Shape : throw new ArgumentException($"{this} takes no inputs; got {inputs.Count}.", nameof(inputs));

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        OutputShape(inputs.Select(t => t.Shape).ToArray());
        return Value.Value;
    }

    public override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients)
    {
        if (gradOutput.Shape != Value.Shape)
            throw new ArgumentException($"{this} gradient must be {Value.Shape}; got {gradOutput.Shape}.", nameof(gradOutput));
        // y = v  =>  dv += dy
        if (Value.Trainable) TensorMath.AddInPlace(Value.Gradient, gradOutput);
        return [];
    }
}
