namespace VisionPlugin.Engine.Losses;

/// <summary>
/// Softmax cross-entropy fused and numerically stable (log-sum-exp with the row maximum
/// subtracted; logits of 1e4 give a finite loss and gradient). Logits [N, K]; targets are either
/// integer class labels (<see cref="ClassLabels"/>) or probabilities [N, K] (soft targets, e.g.
/// label smoothing or distillation):
///   loss_n = logsumexp(x_n) - x_n[y_n]                   (hard)
///   loss_n = sum_k t_nk * (logsumexp(x_n) - x_nk)        (soft)
///   L = mean_n loss_n (Mean, BatchMean) or sum_n loss_n (Sum)
///   dL/dx_nk = r * (softmax(x_n)_k - [k == y_n])  or  r * (softmax(x_n)_k * sum_j t_nj - t_nk),
/// r = 1/N or 1. The loss is computed on the GPU; <c>Forward(..., Tensor loss)</c> leaves it there
/// in a one-element tensor, the overloads returning float read that one value back.
/// </summary>
public sealed class SoftmaxCrossEntropyLoss(LossReduction reduction = LossReduction.Mean)
{
    private const string Op = "SoftmaxCrossEntropy";

    public LossReduction Reduction { get; } = reduction;

    /// <summary>The loss for hard labels, read back from the GPU (one float).</summary>
    public float Forward(Tensor logits, ClassLabels labels)
    {
        GpuBuffer value = logits.Context.Scratch("loss.value", 1);
        Run(logits, labels, null, value);
        return ScalarReduction.Read(value);
    }

    /// <summary>Writes the loss for hard labels into <paramref name="loss"/> (one element) on the GPU; nothing is read back.</summary>
    public void Forward(Tensor logits, ClassLabels labels, Tensor loss) => Run(logits, labels, null, LossTensor(loss));

    /// <summary>The loss for soft targets [N, K], read back from the GPU (one float).</summary>
    public float Forward(Tensor logits, Tensor targetProbabilities)
    {
        GpuBuffer value = logits.Context.Scratch("loss.value", 1);
        Run(logits, null, targetProbabilities, value);
        return ScalarReduction.Read(value);
    }

    /// <summary>Writes the loss for soft targets into <paramref name="loss"/> (one element) on the GPU.</summary>
    public void Forward(Tensor logits, Tensor targetProbabilities, Tensor loss) => Run(logits, null, targetProbabilities, LossTensor(loss));

    /// <summary>gradLogits (+)= scale * dL/dlogits for hard labels.</summary>
    /// <param name="scale">Upstream factor (e.g. a loss weight or 1/accumulation steps).</param>
    /// <param name="accumulate">Add to <paramref name="gradLogits"/> instead of overwriting it.</param>
    public void Backward(Tensor logits, ClassLabels labels, Tensor gradLogits, float scale = 1f, bool accumulate = false) =>
        RunBackward(logits, labels, null, gradLogits, scale, accumulate);

    /// <summary>gradLogits (+)= scale * dL/dlogits for soft targets [N, K].</summary>
    public void Backward(Tensor logits, Tensor targetProbabilities, Tensor gradLogits, float scale = 1f, bool accumulate = false) =>
        RunBackward(logits, null, targetProbabilities, gradLogits, scale, accumulate);

    private void Run(Tensor logits, ClassLabels? labels, Tensor? targets, GpuBuffer result)
    {
        var (n, k) = Validate(logits, labels, targets);
        GpuContext context = logits.Context;
        GpuBuffer perSample = context.Scratch("loss.terms", n);
        context.Programs.Get("softmax_cross_entropy_forward.comp")
            .Set("N", n).Set("K", k).Set("softTargets", targets is null ? 0 : 1).Set("scale", ReductionFactor(n))
            .Bind(0, logits).Bind(1, labels?.Buffer ?? logits.Buffer).Bind(2, (targets ?? logits).Buffer).Bind(3, perSample)
            .DispatchLinear(n);
        ScalarReduction.Sum(context, perSample, n, result);
    }

    private void RunBackward(Tensor logits, ClassLabels? labels, Tensor? targets, Tensor gradLogits, float scale, bool accumulate)
    {
        var (n, k) = Validate(logits, labels, targets);
        if (gradLogits.Shape != logits.Shape)
            throw new ArgumentException($"{Op} gradLogits must match logits {logits.Shape}; got {gradLogits.Shape}.", nameof(gradLogits));
        logits.Context.Programs.Get("softmax_cross_entropy_backward.comp")
            .Set("N", n).Set("K", k).Set("softTargets", targets is null ? 0 : 1)
            .Set("scale", scale * ReductionFactor(n)).Set("beta", accumulate ? 1f : 0f)
            .Bind(0, logits).Bind(1, labels?.Buffer ?? logits.Buffer).Bind(2, (targets ?? logits).Buffer).Bind(3, gradLogits)
            .DispatchLinear(n);
    }

    /// <summary>1/N for the means (one term per sample), 1 for the sum.</summary>
    private float ReductionFactor(int sampleCount) => Reduction == LossReduction.Sum ? 1f : 1f / sampleCount;

    private static (int N, int K) Validate(Tensor logits, ClassLabels? labels, Tensor? targets)
    {
        TensorShape shape = logits.Shape;
        if (shape.Rank != 2 || shape[0] < 1 || shape[1] < 1)
            throw new ArgumentException($"{Op} expects non-empty [N, K] logits; got {shape}.", nameof(logits));
        if (labels is not null) labels.Validate(shape, Op);
        if (targets is not null && targets.Shape != shape)
            throw new ArgumentException($"{Op} target probabilities must match logits {shape}; got {targets.Shape}.", "targetProbabilities");
        return (shape[0], shape[1]);
    }

    internal static GpuBuffer LossTensor(Tensor loss)
    {
        if (loss.ElementCount != 1)
            throw new ArgumentException($"A loss value is one element; got a tensor {loss.Shape}.", nameof(loss));
        return loss.Buffer;
    }
}
