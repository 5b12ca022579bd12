namespace VisionPlugin.Engine.Layers;

/// <summary>
/// 2-D Lp-norm pooling, y = (sum_window |x|^p)^(1/p) (see <see cref="LpPool2d"/>). Backward reads the forward
/// input and output, so Forward keeps a reference to the input. No parameters.
/// </summary>
public sealed class LpPool2dLayer : UnaryLayer
{
    private Tensor? _input, _output; // _output: this layer's own output (owned by the base), read by Backward

    /// <param name="p">The norm order, finite and at least 1 (2 = L2 pooling).</param>
    public LpPool2dLayer(string name, Pool2dOptions options, float p = 2f) : base(name)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        LpPool2d.RequireOrder($"LpPool2d '{name}'", p);
        P = p;
    }

    public Pool2dOptions Options { get; }
    public float P { get; }

    public override TensorShape OutputShape(TensorShape input) => LpPool2d.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = _output = OutputTensor(input.Context, OutputShape(input.Shape));
        LpPool2d.Forward(input, output, Options, P);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        LpPool2d.Backward(input, _output!, gradOutput, gradInput, Options, P);
        return gradInput;
    }

    /// <summary>About one power and one addition per window tap: outputs * KH * KW.</summary>
    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input).ElementCount * Options.KernelH * Options.KernelW;

}
