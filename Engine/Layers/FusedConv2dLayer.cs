namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Inference form of conv [-> BatchNorm] [-> Add(residual)] [-> ReLU / ReLU6 / Clip] as one kernel launch
/// (<see cref="Conv2d.ForwardFused"/>): y = clamp(conv(x, w') + b' (+ residual), min, max). With a folded BatchNorm,
/// w' and b' are owned tensors computed on the GPU from the source layers (<see cref="BatchNormFolding"/>) by
/// <see cref="Refresh"/>; without one, the source convolution's own tensors are read directly. Inputs: the conv input,
/// then the residual when <see cref="HasResidual"/>. Built by <see cref="Models.InferenceGraphOptimizer"/>; shares the
/// source layers (which must outlive it) and has no parameters of its own. It computes what the source layers compute
/// in inference (running statistics, as a frozen BatchNorm does also in training); there is no Backward.
/// </summary>
public sealed class FusedConv2dLayer : Layer
{
    private readonly Tensor? _foldedWeight, _foldedBias;

    internal FusedConv2dLayer(Conv2dLayer conv, BatchNormLayer? norm, Padding2d extraPadding, float clampMin, float clampMax, bool residual)
        : base(conv.Name)
    {
        Source = conv;
        FoldedNorm = norm;
        Padding2d p = conv.Options.Padding;
        Options = conv.Options with
        {
            Padding = new Padding2d(p.Top + extraPadding.Top, p.Left + extraPadding.Left, p.Bottom + extraPadding.Bottom, p.Right + extraPadding.Right),
        };
        ClampMin = clampMin;
        ClampMax = clampMax;
        HasResidual = residual;
        if (norm is not null)
        {
            GpuContext context = conv.Weight.Value.Context;
            _foldedWeight = new Tensor(context, conv.Weight.Shape);
            _foldedBias = new Tensor(context, new TensorShape(conv.Weight.Shape[0]));
            Refresh();
        }
    }

    /// <summary>The convolution this layer runs (its weight, bias and options before folding).</summary>
    public Conv2dLayer Source { get; }
    /// <summary>The BatchNorm folded into the weights, or null.</summary>
    public BatchNormLayer? FoldedNorm { get; }
    /// <summary>The source options with any folded zero padding added.</summary>
    public Conv2dOptions Options { get; }
    /// <summary>Lower clamp of the fused activation (-inf: none).</summary>
    public float ClampMin { get; }
    /// <summary>Upper clamp of the fused activation (+inf: none).</summary>
    public float ClampMax { get; }
    /// <summary>True when a residual Add is fused: the layer takes a second input added before the clamp.</summary>
    public bool HasResidual { get; }

    /// <summary>The weight the kernel reads: folded, or the source's.</summary>
    public Tensor Weight => _foldedWeight ?? Source.Weight.Value;
    /// <summary>The bias the kernel reads: folded, the source's, or null.</summary>
    public Tensor? Bias => _foldedBias ?? Source.Bias?.Value;

    /// <summary>Recomputes the folded weight and bias from the source layers' current values (one dispatch; none without a BatchNorm).</summary>
    public void Refresh()
    {
        if (FoldedNorm is not { } norm) return;
        BatchNormFolding.Fold(Source.Weight.Value, Source.Bias?.Value, norm.Scale.Value, norm.Shift.Value, norm.RunningMean, norm.RunningVariance,
            norm.Options.Epsilon, _foldedWeight!, _foldedBias!);
    }

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int expected = HasResidual ? 2 : 1;
        if (inputs.Count != expected) throw new ArgumentException($"{this} takes {expected} input(s); got {inputs.Count}.", nameof(inputs));
        TensorShape output = Conv2d.OutputShape(inputs[0], Source.Weight.Shape, Options);
        if (HasResidual && inputs[1] != output)
            throw new ArgumentException($"{this}: residual must have the output shape {output}; got {inputs[1]}.", nameof(inputs));
        return output;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        Tensor output = OutputTensor(inputs[0].Context, OutputShape(inputs.Select(t => t.Shape).ToArray()));
        var epilogue = new ConvEpilogue(ClampMin, ClampMax, HasResidual ? inputs[1] : null);
        Conv2d.ForwardFused(inputs[0], Weight, Bias, output, Options, epilogue);
        return output;
    }

    public override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients) =>
        throw new InvalidOperationException($"{this} is an inference-only fused layer (InferenceGraphOptimizer); train the source model instead.");

    public override long MultiplyAdds(IReadOnlyList<TensorShape> inputs) =>
        Conv2d.MultiplyAdds(inputs[0], Source.Weight.Shape, Options);

    /// <summary>Frees the folded tensors (the source layers belong to the source model). Idempotent.</summary>
    public override void Dispose()
    {
        _foldedWeight?.Dispose();
        _foldedBias?.Dispose();
        base.Dispose();
    }
}
