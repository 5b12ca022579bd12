namespace VisionPlugin.Engine;

/// <summary>
/// Hyper-parameters of local response normalization across channels (AlexNet, ONNX <c>LRN</c>). Immutable.
/// y[c] = x[c] / (Bias + Alpha / Size * sum_{c' in window(c)} x[c']^2)^Beta with the ONNX window
/// [c - floor((Size-1)/2), c + ceil((Size-1)/2)] clipped to the channels. Alpha is divided by Size as in
/// ONNX, PyTorch and Caffe; the AlexNet paper's alpha (not divided) is <c>Alpha = paperAlpha * Size</c>.
/// </summary>
public sealed record LrnOptions
{
    /// <summary>Channels in the window, &gt;= 1 (default 5).</summary>
    public int Size { get; init; } = 5;
    /// <summary>&gt;= 0 (default 1e-4).</summary>
    public float Alpha { get; init; } = 1e-4f;
    /// <summary>Exponent, finite (default 0.75).</summary>
    public float Beta { get; init; } = 0.75f;
    /// <summary>k in the paper, &gt; 0 so the base stays positive (default 1; AlexNet uses 2).</summary>
    public float Bias { get; init; } = 1f;

    public static LrnOptions Default { get; } = new();

    /// <summary>Channels before c in the window: floor((Size-1)/2).</summary>
    public int Before => (Size - 1) / 2;
    /// <summary>Channels after c in the window: ceil((Size-1)/2).</summary>
    public int After => Size / 2;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (Size < 1) throw new ArgumentOutOfRangeException(nameof(Size), $"LRN size must be >= 1; got {Size}.");
        if (!(Alpha >= 0) || float.IsInfinity(Alpha)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"LRN alpha must be finite and >= 0; got {Alpha}.");
        if (!float.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), $"LRN beta must be finite; got {Beta}.");
        if (!(Bias > 0) || float.IsInfinity(Bias)) throw new ArgumentOutOfRangeException(nameof(Bias), $"LRN bias must be finite and > 0; got {Bias}.");
    }

    public override string ToString() => $"size {Size}, alpha {Alpha:G3}, beta {Beta:G3}, bias {Bias:G3}";
}
