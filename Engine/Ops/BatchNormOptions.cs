namespace VisionPlugin.Engine;

/// <summary>
/// Hyper-parameters of batch normalization (Ioffe &amp; Szegedy 2015). Immutable.
/// Normalization: xhat = (x - mean) / sqrt(var + <see cref="Epsilon"/>), y = gamma * xhat + beta.
/// Running statistics follow PyTorch: running = (1 - <see cref="Momentum"/>) * running + Momentum * batch,
/// where the running variance takes the unbiased batch variance (sum of squares / (M - 1)) while the
/// normalization itself uses the biased one (/ M), M = values per channel.
/// </summary>
public sealed record BatchNormOptions
{
    /// <summary>Added to the variance before the square root; &gt;= 0 (PyTorch and ONNX default 1e-5).</summary>
    public float Epsilon { get; init; } = 1e-5f;

    /// <summary>Weight of the new batch in the running statistics, in [0, 1] (PyTorch default 0.1; Keras' 0.99 is 0.01 here).</summary>
    public float Momentum { get; init; } = 0.1f;

    public static BatchNormOptions Default { get; } = new();

    /// <exception cref="ArgumentOutOfRangeException">Epsilon is negative or not finite, or Momentum is outside [0, 1].</exception>
    public void Validate()
    {
        if (!(Epsilon >= 0) || float.IsInfinity(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), $"BatchNorm epsilon must be finite and >= 0; got {Epsilon}.");
        if (!(Momentum >= 0 && Momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), $"BatchNorm momentum must be in [0, 1]; got {Momentum}.");
    }

    public override string ToString() => $"eps {Epsilon:G3}, momentum {Momentum:G3}";
}
