namespace VisionPlugin.Engine;

/// <summary>
/// Folds an inference BatchNorm into the convolution that feeds it, on the GPU (<c>batchnorm_fold.comp</c>, one
/// dispatch): with s = gamma / sqrt(runningVar + eps), w'[k,...] = w[k,...] * s[k] and b'[k] = (b[k] - mean[k]) * s[k] + beta[k],
/// so conv(x, w') + b' equals BatchNorm(conv(x, w) + b) with the running statistics.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Writes the folded weight and bias.</summary>
    /// <param name="weight">[K, C/groups, KH, KW].</param>
    /// <param name="bias">[K] or null (no bias: b = 0).</param>
    /// <param name="gamma">BatchNorm scale [K].</param>
    /// <param name="beta">BatchNorm shift [K].</param>
    /// <param name="runningMean">[K].</param>
    /// <param name="runningVar">[K].</param>
    /// <param name="epsilon">BatchNorm epsilon.</param>
    /// <param name="foldedWeight">Output, the weight's shape.</param>
    /// <param name="foldedBias">Output [K].</param>
    public static void Fold(Tensor weight, Tensor? bias, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        float epsilon, Tensor foldedWeight, Tensor foldedBias)
    {
        int k = weight.Shape[0];
        foreach (var (name, tensor) in new[] { ("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVar", runningVar), ("foldedBias", foldedBias) })
            if (tensor.ElementCount != k)
                throw new ArgumentException($"BatchNorm folding: {name} must have {k} elements for weight {weight.Shape}; got {tensor.Shape}.", name);
        if (bias is not null && bias.ElementCount != k)
            throw new ArgumentException($"BatchNorm folding: bias must have {k} elements for weight {weight.Shape}; got {bias.Shape}.", nameof(bias));
        if (foldedWeight.Shape != weight.Shape)
            throw new ArgumentException($"BatchNorm folding: foldedWeight must be {weight.Shape}; got {foldedWeight.Shape}.", nameof(foldedWeight));
        int perRow = weight.ElementCount / k;
        weight.Context.Programs.Get("batchnorm_fold.comp")
            .Set("K", k).Set("P", perRow).Set("hasBias", bias is null ? 0 : 1).Set("eps", epsilon)
            .Bind(0, weight).Bind(1, bias?.Buffer ?? weight.Buffer).Bind(2, gamma).Bind(3, beta).Bind(4, runningMean).Bind(5, runningVar)
            .Bind(6, foldedWeight).Bind(7, foldedBias)
            .DispatchLinear(weight.ElementCount);
    }
}
