using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Batch normalization over axis 1 of an [N, C, ...] input (see <see cref="BatchNorm"/>): learnable scale
/// gamma (<see cref="Scale"/>, ones) and shift beta (<see cref="Shift"/>, zeros), both exempt from weight
/// decay; running mean (zeros) and variance (ones) saved with checkpoints as <see cref="Layer.Buffers"/>.
/// Forward in training uses the batch statistics and updates the running ones; in inference, and whenever
/// the layer is <see cref="Layer.Frozen"/>, it uses the running statistics (an affine map whose backward is
/// the affine derivative). Parameter and buffer names follow PyTorch: <c>weight</c>, <c>bias</c>,
/// <c>running_mean</c>, <c>running_var</c>. <see cref="BatchNorm2dLayer"/> and <see cref="BatchNorm1dLayer"/>
/// fix the accepted ranks.
/// </summary>
public abstract class BatchNormLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _normalized;
    private readonly Tensor _inverseStd;
    private Mode _lastMode = Mode.None;

    /// <summary>How the last Forward normalized, which decides the backward formula.</summary>
    private enum Mode { None, BatchStatistics, RunningStatistics }

    /// <param name="channels">C, the size of axis 1.</param>
    /// <param name="options">Epsilon and momentum; defaults to 1e-5 and 0.1 (PyTorch).</param>
    protected BatchNormLayer(GpuContext context, string name, int channels, BatchNormOptions? options) : base(name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"{GetType().Name} '{name}' needs at least one channel; got {channels}.");
        Options = options ?? BatchNormOptions.Default;
        Options.Validate();
        Channels = channels;
        var shape = new TensorShape(channels);
        Scale = new Parameter(context, name + ".weight", shape) { DecayWeights = false };
        Shift = new Parameter(context, name + ".bias", shape) { DecayWeights = false };
        Scale.Initialize(Initializer.Constant(1f), new Random(0));
        RunningMean = new Tensor(context, shape);
        RunningVariance = new Tensor(context, shape);
        RunningVariance.Fill(1f);
        _inverseStd = new Tensor(context, shape);
        _parameters = [Scale, Shift];
    }

    public int Channels { get; }
    public BatchNormOptions Options { get; }
    /// <summary>gamma [C].</summary>
    public Parameter Scale { get; }
    /// <summary>beta [C].</summary>
    public Parameter Shift { get; }
    /// <summary>[C], updated by every training Forward of an unfrozen layer.</summary>
    public Tensor RunningMean { get; }
    /// <summary>[C] (unbiased batch variances, averaged with the momentum).</summary>
    public Tensor RunningVariance { get; }

    public override IReadOnlyList<Parameter> Parameters => _parameters;
    public override IReadOnlyList<(string Name, Tensor Tensor)> Buffers =>
        [(Name + ".running_mean", RunningMean), (Name + ".running_var", RunningVariance)];

    /// <summary>Throws ArgumentException naming the shape when its rank is not one this layer accepts.</summary>
    protected abstract void RequireRank(TensorShape input);

    public sealed override TensorShape OutputShape(TensorShape input)
    {
        RequireRank(input);
        return BatchNorm.OutputShape(input, Channels);
    }

    public sealed override Tensor Forward(Tensor input, bool training)
    {
        TensorShape shape = OutputShape(input.Shape);
        Tensor output = OutputTensor(input.Context, shape);
        if (training && !Frozen)
        {
            Tensor normalized = Ensure(ref _normalized, input.Context, shape);
            BatchNorm.ForwardTraining(input, Scale.Value, Shift.Value, RunningMean, RunningVariance, output, normalized, _inverseStd, Options);
            _lastMode = Mode.BatchStatistics;
            return output;
        }
        // Running statistics. xhat is only needed for a trainable scale's gradient after a training Forward.
        Tensor? saved = training && Scale.Trainable ? Ensure(ref _normalized, input.Context, shape) : null;
        BatchNorm.ForwardInference(input, Scale.Value, Shift.Value, RunningMean, RunningVariance, output, Options, saved, _inverseStd);
        _lastMode = saved is null && Scale.Trainable ? Mode.None : Mode.RunningStatistics;
        return output;
    }

    public sealed override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        if (_lastMode == Mode.None)
            throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        Tensor? gradInput = needInputGradient ? GradInputTensor(gradOutput.Context, gradOutput.Shape) : null;
        Tensor? gradScale = Scale.Trainable ? Scale.Gradient : null;
        Tensor? gradShift = Shift.Trainable ? Shift.Gradient : null;
        if (_lastMode == Mode.BatchStatistics)
            BatchNorm.BackwardTraining(gradOutput, _normalized!, _inverseStd, Scale.Value, gradInput, gradScale, gradShift);
        else
            BatchNorm.BackwardInference(gradOutput, gradScale is null ? null : _normalized, _inverseStd, Scale.Value, gradInput, gradScale, gradShift);
        return gradInput;
    }

    /// <summary>About two multiply-adds per element (normalize, then scale and shift).</summary>
    public sealed override long MultiplyAdds(TensorShape input) => 2L * OutputShape(input).ElementCount;

    public override void Dispose()
    {
        _normalized?.Dispose();
        _normalized = null;
        _inverseStd.Dispose();
        RunningMean.Dispose();
        RunningVariance.Dispose();
        base.Dispose();
    }
}
