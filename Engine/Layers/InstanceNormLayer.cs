namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Instance normalization without the affine part (ONNX InstanceNormalization's normalization; the importer adds the
/// per-channel scale and shift as Mul and Add): each (n, c) plane of an [N, C, ...] input is normalized with its own
/// statistics, in training and inference alike: y = (x - mean_nc) / sqrt(var_nc + eps), var biased.
/// That is batch normalization with batch statistics of the input seen as [1, N*C, spatial], so both passes reuse the
/// <see cref="BatchNorm"/> kernels (gamma 1, beta 0; the running statistics they update are scratch, never read):
/// dx = invstd * (dy - mean(dy) - xhat * mean(dy * xhat)) per plane. No parameters.
/// </summary>
public sealed class InstanceNormLayer : UnaryLayer
{
    private Tensor? _planes, _planesOut, _normalized, _gradPlanes, _gradPlanesIn;
    private Tensor? _ones, _zeros, _runningMean, _runningVariance, _inverseStd;

    public InstanceNormLayer(string name, float epsilon = 1e-5f) : base(name)
    {
        Options = new BatchNormOptions { Epsilon = epsilon, Momentum = 0f };
        Options.Validate();
    }

    public BatchNormOptions Options { get; }

    public override TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank < 3 || input.ElementCount / Math.Max(1, input[0] * input[1]) < 2)
            throw new ArgumentException($"{this} expects an [N, C, ...] input with at least two values per plane; got {input}.", nameof(input));
        return input;
    }

    /// <summary>[1, N*C, spatial]: one BatchNorm channel per (n, c) plane.</summary>
    private static TensorShape Planes(TensorShape input) => new(1, input[0] * input[1], input.ElementCount / (input[0] * input[1]));

    public override Tensor Forward(Tensor input, bool training)
    {
        TensorShape shape = OutputShape(input.Shape);
        GpuContext context = input.Context;
        TensorShape planes = Planes(shape);
        int channels = planes[1];
        if (_ones is null || _ones.ElementCount != channels)
        {
            foreach (Tensor? t in new[] { _ones, _zeros, _runningMean, _runningVariance, _inverseStd }) t?.Dispose();
            _ones = new Tensor(context, channels);
            _ones.Fill(1f);
            _zeros = new Tensor(context, channels);
            _runningMean = new Tensor(context, channels);
            _runningVariance = new Tensor(context, channels);
            _inverseStd = new Tensor(context, channels);
        }
        Tensor x = Ensure(ref _planes, context, planes);
        Tensor y = Ensure(ref _planesOut, context, planes);
        Tensor normalized = Ensure(ref _normalized, context, planes);
        TensorMath.Copy(input, x);
        BatchNorm.ForwardTraining(x, _ones, _zeros!, _runningMean!, _runningVariance!, y, normalized, _inverseStd!, Options);
        Tensor output = OutputTensor(context, shape);
        TensorMath.Copy(y, output);
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor normalized = _normalized ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        GpuContext context = gradOutput.Context;
        Tensor dy = Ensure(ref _gradPlanes, context, normalized.Shape);
        Tensor dx = Ensure(ref _gradPlanesIn, context, normalized.Shape);
        TensorMath.Copy(gradOutput, dy);
        BatchNorm.BackwardTraining(dy, normalized, _inverseStd!, _ones!, dx, null, null);
        Tensor gradInput = GradInputTensor(context, gradOutput.Shape);
        TensorMath.Copy(dx, gradInput);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => 2L * input.ElementCount;

    public override void Dispose()
    {
        foreach (Tensor? t in new[] { _planes, _planesOut, _normalized, _gradPlanes, _gradPlanesIn, _ones, _zeros, _runningMean, _runningVariance, _inverseStd })
            t?.Dispose();
        _planes = _planesOut = _normalized = _gradPlanes = _gradPlanesIn = _ones = _zeros = _runningMean = _runningVariance = _inverseStd = null;
        base.Dispose();
    }
}
