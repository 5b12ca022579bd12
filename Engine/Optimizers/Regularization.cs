namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// Penalties on the weights, applied by every optimizer to parameters whose
/// <see cref="Layers.Parameter.DecayWeights"/> is true (biases and normalization scales are skipped).
/// With a penalty R(w) = L1 * |w| + (L2 / 2) * w^2 the gradient becomes
///   g' = g + L2 * w + L1 * sign(w)        (sign(0) = 0),
/// i.e. <see cref="L2"/> is the "weight decay" coefficient in the PyTorch sense. Elastic net sets both.
/// Coupled optimizers add that term to the gradient before their update (for Adam this is
/// classic L2); <see cref="AdamW"/> instead applies it directly to the weights, scaled by the
/// learning rate only (decoupled): w -= lr * (L2 * w + L1 * sign(w)). Immutable.
/// </summary>
public sealed record Regularization
{
    /// <summary>Lasso coefficient: adds L1 * sign(w) to the gradient. 0 = off.</summary>
    public float L1 { get; init; }

    /// <summary>Ridge (weight decay) coefficient: adds L2 * w to the gradient. 0 = off.</summary>
    public float L2 { get; init; }

    /// <summary>No penalty.</summary>
    public static Regularization None { get; } = new();

    /// <summary>L2 only (weight decay): g += <paramref name="l2"/> * w.</summary>
    public static Regularization L2Penalty(float l2) => new() { L2 = l2 };

    /// <summary>L1 only: g += <paramref name="l1"/> * sign(w).</summary>
    public static Regularization L1Penalty(float l1) => new() { L1 = l1 };

    /// <summary>Elastic net: g += <paramref name="l1"/> * sign(w) + <paramref name="l2"/> * w.</summary>
    public static Regularization ElasticNet(float l1, float l2) => new() { L1 = l1, L2 = l2 };

    /// <summary>True when either coefficient is non-zero.</summary>
    public bool IsActive => L1 != 0 || L2 != 0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming a negative or non-finite coefficient.</summary>
    public void Validate()
    {
        OptimizerChecks.NonNegativeFinite(L1, "Regularization.L1");
        OptimizerChecks.NonNegativeFinite(L2, "Regularization.L2");
    }

    public override string ToString() => (L1, L2) switch
    {
        (0, 0) => "no regularization",
        (0, _) => $"L2 {L2:G4}",
        (_, 0) => $"L1 {L1:G4}",
        _ => $"elastic net L1 {L1:G4} L2 {L2:G4}",
    };
}
