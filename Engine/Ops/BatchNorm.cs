namespace VisionPlugin.Engine;

/// <summary>
/// Batch normalization on the GPU, forward and backward, per channel (axis 1) of an [N, C, ...] tensor:
/// BatchNorm2d is [N, C, H, W]; BatchNorm1d is [N, F] (one value per feature and sample) or [N, C, L].
/// With M = N * (product of the axes after C) values per channel:
///   mean = (1/M) sum x,  var = (1/M) sum (x - mean)^2 (biased),  xhat = (x - mean) / sqrt(var + eps),
///   y = gamma * xhat + beta.
/// Training uses the batch statistics and updates the running ones (<see cref="BatchNormOptions"/>);
/// inference uses the running statistics, which makes the layer the affine map
/// y = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta.
/// Backward (training): dx = gamma / sqrt(var + eps) * (dy - mean(dy) - xhat * mean(dy * xhat));
/// (inference): dx = gamma / sqrt(runningVar + eps) * dy; in both dgamma = sum dy * xhat, dbeta = sum dy.
/// Per-channel sums use split reductions (no float atomics).
/// </summary>
public static class BatchNorm
{
    private const string Op = "BatchNorm";

    /// <summary>Validates an [N, C, ...] input against <paramref name="channels"/>; the output has the input's shape.</summary>
    /// <exception cref="ArgumentException">Rank below 2 or a channel count other than <paramref name="channels"/>; the message names the shape.</exception>
    public static TensorShape OutputShape(TensorShape input, int channels)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"{Op} expects an [N, C, ...] input; got {input}.", nameof(input));
        if (input[1] != channels)
            throw new ArgumentException($"{Op} expects {channels} channels (parameter shape [{channels}]); got input {input}.", nameof(input));
        return input;
    }

    /// <summary>
    /// Training forward with batch statistics: output = gamma * xhat + beta; saves xhat in
    /// <paramref name="normalized"/> and 1/sqrt(var + eps) in <paramref name="inverseStd"/> for
    /// <see cref="BackwardTraining"/>, and moves the running statistics towards the batch ones.
    /// </summary>
    /// <param name="gamma">Scale [C].</param>
    /// <param name="beta">Shift [C].</param>
    /// <param name="runningMean">[C], updated in place.</param>
    /// <param name="runningVar">[C], updated in place with the unbiased batch variance.</param>
    /// <param name="normalized">Input shape; receives xhat.</param>
    /// <param name="inverseStd">[C]; receives 1/sqrt(batch var + eps).</param>
    /// <exception cref="ArgumentException">A shape does not fit (the message names it and the input's), or a channel holds a single value
    /// (the unbiased variance needs at least two).</exception>
    public static void ForwardTraining(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        Tensor output, Tensor normalized, Tensor inverseStd, BatchNormOptions options)
    {
        int channels = Validate(input, output, options, gamma, beta, runningMean, runningVar, inverseStd);
        RequireShape(nameof(normalized), normalized.Shape, input.Shape, input.Shape);
        int n = input.Shape[0], spatial = Spatial(input.Shape);
        long perChannel = (long)n * spatial;
        if (perChannel < 2)
            throw new ArgumentException($"{Op} training needs more than one value per channel; got input {input.Shape}.", nameof(input));
        GpuContext context = input.Context;
        var (splits, chunk) = SplitReduction.Plan(channels, perChannel);
        GpuBuffer partialMean = context.Scratch("batchnorm.partial_mean", (long)splits * channels);
        GpuBuffer partialM2 = context.Scratch("batchnorm.partial_m2", (long)splits * channels);
        GpuBuffer mean = context.Scratch("batchnorm.mean", channels);
        context.Programs.Get("batchnorm_statistics.comp")
            .Set("N", n).Set("C", channels).Set("S", spatial).Set("splits", splits).Set("chunk", chunk)
            .Bind(0, input).Bind(1, partialMean).Bind(2, partialM2)
            .DispatchLinear((long)channels * splits);
        context.Programs.Get("batchnorm_statistics_merge.comp")
            .Set("C", channels).Set("M", (int)perChannel).Set("splits", splits).Set("chunk", chunk)
            .Set("eps", options.Epsilon).Set("momentum", options.Momentum).Set("updateRunning", 1)
            .Bind(0, partialMean).Bind(1, partialM2).Bind(2, mean).Bind(3, inverseStd)
            .Bind(4, runningMean).Bind(5, runningVar)
            .DispatchLinear(channels);
        Normalize(input, mean, inverseStd.Buffer, gamma, beta, output, normalized);
    }

    /// <summary>
    /// Inference forward with the running statistics: output = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta.
    /// Optionally saves xhat and the inverse std for <see cref="BackwardInference"/> (a frozen layer that still back-propagates).
    /// </summary>
    /// <param name="normalized">Null, or the input's shape to receive xhat = (x - runningMean) / sqrt(runningVar + eps).</param>
    /// <param name="inverseStd">Null, or [C] to receive 1/sqrt(runningVar + eps).</param>
    public static void ForwardInference(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        Tensor output, BatchNormOptions options, Tensor? normalized = null, Tensor? inverseStd = null)
    {
        int channels = Validate(input, output, options, gamma, beta, runningMean, runningVar, inverseStd);
        if (normalized is not null) RequireShape(nameof(normalized), normalized.Shape, input.Shape, input.Shape);
        GpuBuffer scale = inverseStd?.Buffer ?? input.Context.Scratch("batchnorm.inverse_std", channels);
        input.Context.Programs.Get("batchnorm_inverse_std.comp")
            .Set("C", channels).Set("eps", options.Epsilon)
            .Bind(0, runningVar).Bind(1, scale)
            .DispatchLinear(channels);
        Normalize(input, runningMean.Buffer, scale, gamma, beta, output, normalized);
    }

    /// <summary>
    /// Backward of <see cref="ForwardTraining"/>: gradInput = gamma * inverseStd * (dy - mean(dy) - xhat * mean(dy * xhat))
    /// (overwritten unless <paramref name="accumulate"/>); gradGamma += sum dy * xhat; gradBeta += sum dy.
    /// </summary>
    /// <param name="normalized">xhat saved by the forward pass.</param>
    /// <param name="inverseStd">1/sqrt(var + eps) saved by the forward pass.</param>
    /// <param name="gradInput">Null when the input gradient is not needed.</param>
    /// <param name="gradGamma">Null to skip (frozen scale); otherwise accumulated.</param>
    /// <param name="gradBeta">Null to skip (frozen shift); otherwise accumulated.</param>
    public static void BackwardTraining(Tensor gradOutput, Tensor normalized, Tensor inverseStd, Tensor gamma,
        Tensor? gradInput, Tensor? gradGamma, Tensor? gradBeta, bool accumulate = false) =>
        Backward(gradOutput, normalized, inverseStd, gamma, gradInput, gradGamma, gradBeta, accumulate, batchStatistics: true);

    /// <summary>
    /// Backward of <see cref="ForwardInference"/> (the affine map): gradInput = gamma * inverseStd * dy
    /// (overwritten unless <paramref name="accumulate"/>); gradGamma += sum dy * xhat; gradBeta += sum dy.
    /// </summary>
    /// <param name="normalized">xhat saved by the forward pass; needed only for <paramref name="gradGamma"/>.</param>
    /// <param name="inverseStd">1/sqrt(runningVar + eps) saved by the forward pass.</param>
    public static void BackwardInference(Tensor gradOutput, Tensor? normalized, Tensor inverseStd, Tensor gamma,
        Tensor? gradInput, Tensor? gradGamma, Tensor? gradBeta, bool accumulate = false)
    {
        if (gradGamma is not null && normalized is null)
            throw new ArgumentException($"{Op} needs the saved normalized input to compute the scale gradient.", nameof(normalized));
        Backward(gradOutput, normalized, inverseStd, gamma, gradInput, gradGamma, gradBeta, accumulate, batchStatistics: false);
    }

    private static void Backward(Tensor gradOutput, Tensor? normalized, Tensor inverseStd, Tensor gamma,
        Tensor? gradInput, Tensor? gradGamma, Tensor? gradBeta, bool accumulate, bool batchStatistics)
    {
        TensorShape shape = gradOutput.Shape;
        int channels = OutputShape(shape, gamma.ElementCount)[1];
        if (normalized is not null) RequireShape(nameof(normalized), normalized.Shape, shape, shape);
        if (gradInput is not null) RequireShape(nameof(gradInput), gradInput.Shape, shape, shape);
        RequireChannels(nameof(inverseStd), inverseStd, channels, shape);
        RequireChannels(nameof(gradGamma), gradGamma, channels, shape);
        RequireChannels(nameof(gradBeta), gradBeta, channels, shape);
        GpuContext context = gradOutput.Context;
        int n = shape[0], spatial = Spatial(shape);
        bool needSums = batchStatistics || gradGamma is not null || gradBeta is not null;
        GpuBuffer sumDy = context.Scratch("batchnorm.sum_dy", channels);
        GpuBuffer sumDyXhat = context.Scratch("batchnorm.sum_dy_xhat", channels);
        if (needSums)
        {
            // The sums run over xhat; without it (inference, shift gradient only) dy stands in and sumDyXhat is unused.
            Tensor xhat = normalized ?? gradOutput;
            var (splits, chunk) = SplitReduction.Plan(channels, (long)n * spatial);
            GpuBuffer partialDy = context.Scratch("batchnorm.partial_dy", (long)splits * channels);
            GpuBuffer partialDyXhat = context.Scratch("batchnorm.partial_dy_xhat", (long)splits * channels);
            context.Programs.Get("batchnorm_backward_reduce.comp")
                .Set("N", n).Set("C", channels).Set("S", spatial).Set("splits", splits).Set("chunk", chunk)
                .Bind(0, gradOutput).Bind(1, xhat).Bind(2, partialDy).Bind(3, partialDyXhat)
                .DispatchLinear((long)channels * splits);
            if (batchStatistics)
            {
                SplitReduction.SumPartials(context, partialDy, splits, sumDy, channels, 0f);
                SplitReduction.SumPartials(context, partialDyXhat, splits, sumDyXhat, channels, 0f);
            }
            // Parameter gradients accumulate: dbeta += sum dy, dgamma += sum dy * xhat.
            if (gradBeta is not null) SplitReduction.SumPartials(context, partialDy, splits, gradBeta.Buffer, channels, 1f);
            if (gradGamma is not null) SplitReduction.SumPartials(context, partialDyXhat, splits, gradGamma.Buffer, channels, 1f);
        }
        if (gradInput is null) return;
        context.Programs.Get("batchnorm_backward.comp")
            .Set("C", channels).Set("S", spatial).Set("count", shape.ElementCount)
            .Set("batchStatistics", batchStatistics ? 1 : 0).Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, normalized ?? gradOutput).Bind(2, inverseStd).Bind(3, gamma)
            .Bind(4, sumDy).Bind(5, sumDyXhat).Bind(6, gradInput)
            .DispatchLinear(PlaneChunks(shape)); // one invocation per chunk of <= 64 elements of a plane
    }

    /// <summary>y = gamma * (x - mean) * inverseStd + beta, optionally saving xhat.</summary>
    private static void Normalize(Tensor input, GpuBuffer mean, GpuBuffer inverseStd, Tensor gamma, Tensor beta, Tensor output, Tensor? normalized)
    {
        input.Context.Programs.Get("batchnorm_forward.comp")
            .Set("C", input.Shape[1]).Set("S", Spatial(input.Shape)).Set("count", input.ElementCount)
            .Set("writeNormalized", normalized is null ? 0 : 1)
            .Bind(0, input).Bind(1, mean).Bind(2, inverseStd).Bind(3, gamma).Bind(4, beta)
            .Bind(5, output).Bind(6, (normalized ?? output).Buffer)
            .DispatchLinear(PlaneChunks(input.Shape)); // one invocation per chunk of <= 64 elements of a plane
    }

    /// <summary>Invocations of the elementwise kernels: N * C planes of S elements, in chunks of at most 64.</summary>
    private static long PlaneChunks(TensorShape shape)
    {
        int spatial = Spatial(shape);
        return (long)(shape.ElementCount / spatial) * ((spatial + 63) / 64);
    }

    /// <summary>Checks every per-channel tensor and the output against the input; returns C.</summary>
    private static int Validate(Tensor input, Tensor output, BatchNormOptions options, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, Tensor? inverseStd)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int channels = OutputShape(input.Shape, gamma.ElementCount)[1];
        RequireShape(nameof(output), output.Shape, input.Shape, input.Shape);
        RequireChannels(nameof(beta), beta, channels, input.Shape);
        RequireChannels(nameof(runningMean), runningMean, channels, input.Shape);
        RequireChannels(nameof(runningVar), runningVar, channels, input.Shape);
        RequireChannels(nameof(inverseStd), inverseStd, channels, input.Shape);
        return channels;
    }

    /// <summary>Product of the axes after the channel axis (H*W, L, or 1 for [N, F]).</summary>
    private static int Spatial(TensorShape shape)
    {
        int spatial = 1;
        for (int axis = 2; axis < shape.Rank; axis++) spatial *= shape[axis];
        return spatial;
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input)
    {
        if (actual != expected)
            throw new ArgumentException($"{Op} {name} must be {expected} for input {input}; got {actual}.", name);
    }

    private static void RequireChannels(string name, Tensor? tensor, int channels, TensorShape input)
    {
        if (tensor is not null && tensor.ElementCount != channels)
            throw new ArgumentException($"{Op} {name} must have {channels} elements for input {input}; got {tensor.Shape}.", name);
    }
}
