namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Settings every optimizer shares: the initial learning rate (schedules later set
/// <see cref="Optimizer.LearningRate"/>), the weight penalty and gradient clipping. Each algorithm
/// derives a sealed record with its own hyper-parameters and defaults (PyTorch's). Immutable;
/// <see cref="Validate"/> runs when an optimizer is constructed.
/// </summary>
public abstract record OptimizerOptions
{
    /// <summary>Initial learning rate (>= 0). Per parameter it is multiplied by <see cref="Layers.Parameter.LearningRateScale"/>.</summary>
    public float LearningRate { get; init; }

    /// <summary>L1 / L2 / elastic-net penalty on parameters with DecayWeights = true.</summary>
    public Regularization Regularization { get; init; } = Regularization.None;

    /// <summary>Clipping of the raw gradients by global norm and/or by value.</summary>
    public GradientClipping Clipping { get; init; } = GradientClipping.None;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public virtual void Validate()
    {
        OptimizerChecks.NonNegativeFinite(LearningRate, nameof(LearningRate));
        ArgumentNullException.ThrowIfNull(Regularization, nameof(Regularization));
        ArgumentNullException.ThrowIfNull(Clipping, nameof(Clipping));
        Regularization.Validate();
        Clipping.Validate();
    }
}
