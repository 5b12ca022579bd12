namespace VisionPlugin.Engine.Layers;

/// <summary>
/// 2-D max pooling (see <see cref="MaxPool2d"/>). A training Forward records each window's winner in an int
/// buffer the layer owns, and Backward routes the gradient there; an inference Forward skips that bookkeeping,
/// so Backward after it is refused. No parameters.
/// </summary>
public sealed class MaxPool2dLayer : UnaryLayer
{
        private GpuBuffer? _argmax;
    private TensorShape? _argmaxInputShape;   // the input shape the argmax belongs to; null after an inference Forward

    public MaxPool2dLayer(string name, Pool2dOptions options) : base(name) => Options = options ?? throw new ArgumentNullException(nameof(options));

    public Pool2dOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input) => MaxPool2d.OutputShape(input, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        _argmaxInputShape = null;
        if (!training)
        {
            MaxPool2d.Forward(input, output, null, Options);
            return output;
        }
        if (_argmax is null || _argmax.ElementCount != output.ElementCount)
        {
            _argmax?.Dispose();
            _argmax = new GpuBuffer(input.Context, output.ElementCount);
        }
        MaxPool2d.Forward(input, output, _argmax, Options);
        _argmaxInputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _argmaxInputShape
            ?? throw new InvalidOperationException($"{this}: Backward needs a Forward with training = true (it records the argmax).");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        MaxPool2d.Backward(gradOutput, _argmax!, gradInput, Options);
        return gradInput;
    }

    /// <summary>One comparison per window tap: outputs * KH * KW.</summary>
    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input).ElementCount * Options.KernelH * Options.KernelW;

    public override void Dispose()
    {
        _argmax?.Dispose();
        _argmax = null;
        base.Dispose();
    }
}
