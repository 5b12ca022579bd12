namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Softmax along <see cref="Axis"/> (default 1: the channels of NCHW, the classes of [N, K]).
/// Forward y = softmax(x); Backward dx = y * (dy - sum(dy * y)) from the saved output
/// (see <see cref="Softmax"/>). With <c>logarithm: true</c> it is log-softmax instead:
/// y = x - logsumexp(x), dx = dy - exp(y) * sum(dy) (see <see cref="LogSoftmax"/>).
/// </summary>
public sealed class SoftmaxLayer : UnaryLayer
{
    private Tensor? _output;   // this layer's own output (owned by the base), set by Forward and read by Backward

    public SoftmaxLayer(string name, int axis = 1, bool logarithm = false) : base(name)
    {
        Axis = axis;
        Logarithm = logarithm;
    }

    public int Axis { get; }
    /// <summary>True for log-softmax.</summary>
    public bool Logarithm { get; }

    public override TensorShape OutputShape(TensorShape input)
    {
        Softmax.Rows(Logarithm ? "LogSoftmax" : "Softmax", input, Axis);
        return input;
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = _output = OutputTensor(input.Context, OutputShape(input.Shape));
        if (Logarithm) LogSoftmax.Forward(input, output, Axis);
        else Softmax.Forward(input, output, Axis);
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor output = _output ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(output.Context, output.Shape);
        if (Logarithm) LogSoftmax.Backward(output, gradOutput, gradInput, Axis);
        else Softmax.Backward(output, gradOutput, gradInput, Axis);
        return gradInput;
    }

}
