namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Global average pooling, [N,C,H,W] -> [N,C,1,1] (the classifier head's pooling; see <see cref="GlobalPool"/>). No parameters.
/// Its backward kernel can take the derivative of a clamp activation feeding it (<see cref="IFusesInputActivationBackward"/>).
/// </summary>
public sealed class GlobalAvgPoolLayer(string name) : UnaryLayer(name), IFusesInputActivationBackward
{
        private TensorShape? _inputShape;
    private Tensor? _input;   // the forward input, read only by BackwardThroughInputActivation (a fused activation's output)

    public override TensorShape OutputShape(TensorShape input) => GlobalPool.OutputShape(input);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        GlobalPool.AverageForward(input, output);
        _inputShape = input.Shape;
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _inputShape ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        GlobalPool.AverageBackward(gradOutput, gradInput);
        return gradInput;
    }

    /// <inheritdoc/>
    public Tensor? BackwardThroughInputActivation(Tensor gradOutput, bool needInputGradient, ActivationDerivativeMask inputActivation)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, input.Shape);
        GlobalPool.AverageBackwardThroughActivation(gradOutput, gradInput, input, inputActivation);
        return gradInput;
    }

    /// <summary>One addition per input element.</summary>
    public override long MultiplyAdds(TensorShape input)
    {
        OutputShape(input);   // validates
        return input.ElementCount;
    }

}

/// <summary>
/// Global max pooling, [N,C,H,W] -> [N,C,1,1] (see <see cref="GlobalPool"/>). A training Forward records each
/// plane's winner in an int buffer the layer owns for Backward; Backward after an inference Forward is refused.
/// </summary>
public sealed class GlobalMaxPoolLayer(string name) : UnaryLayer(name)
{
        private GpuBuffer? _argmax;
    private TensorShape? _argmaxInputShape;

    public override TensorShape OutputShape(TensorShape input) => GlobalPool.OutputShape(input);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        _argmaxInputShape = null;
        if (!training)
        {
            GlobalPool.MaxForward(input, output, null);
            return output;
        }
        if (_argmax is null || _argmax.ElementCount != output.ElementCount)
        {
            _argmax?.Dispose();
            _argmax = new GpuBuffer(input.Context, output.ElementCount);
        }
        GlobalPool.MaxForward(input, output, _argmax);
        _argmaxInputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _argmaxInputShape
            ?? throw new InvalidOperationException($"{this}: Backward needs a Forward with training = true (it records the argmax).");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        GlobalPool.MaxBackward(gradOutput, _argmax!, gradInput);
        return gradInput;
    }

    /// <summary>One comparison per input element.</summary>
    public override long MultiplyAdds(TensorShape input)
    {
        OutputShape(input);   // validates
        return input.ElementCount;
    }

    public override void Dispose()
    {
        _argmax?.Dispose();
        _argmax = null;
        base.Dispose();
    }
}
