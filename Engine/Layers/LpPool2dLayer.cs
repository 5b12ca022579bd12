namespace VisionPlugin.Engine.Layers;

/// <summary>
/// 2-D Lp-norm pooling, y = (sum_window |x|^p)^(1/p) (see <see cref="LpPool2d"/>). Backward reads the forward
/// input and output, so Forward keeps a reference to the input. No parameters.
/// </summary>
public sealed class LpPool2dLayer : UnaryLayer
{
    private Tensor? _output, _gradInput, _input;

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
        Tensor output = Ensure(ref _output, input.Context, OutputShape(input.Shape));
        LpPool2d.Forward(input, output, Options, P);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = Ensure(ref _gradInput, input.Context, input.Shape);
        LpPool2d.Backward(input, _output!, gradOutput, gradInput, Options, P);
        return gradInput;
    }

    /// <summary>About one power and one addition per window tap: outputs * KH * KW.</summary>
    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input).ElementCount * Options.KernelH * Options.KernelW;

    public override void Dispose()
    {
        _output?.Dispose();
        _gradInput?.Dispose();
        _output = _gradInput = null;
        base.Dispose();
    }
}
