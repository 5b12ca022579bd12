namespace VisionPlugin.Engine.Losses;

/// <summary>How per-element (or per-sample) losses become the scalar loss.</summary>
public enum LossReduction
{
    /// <summary>
    /// The mean over the loss terms: over samples for cross-entropy (one term per sample), over all
    /// elements for element-wise losses (PyTorch's 'mean').
    /// </summary>
    Mean,
    /// <summary>The plain sum of the loss terms.</summary>
    Sum,
    /// <summary>The sum divided by the batch size (axis 0); PyTorch's 'batchmean' for KL divergence.</summary>
    BatchMean,
}
