namespace VisionPlugin.Engine;

/// <summary>
/// An immutable tensor shape, outermost dimension first (NCHW for images: batch, channels,
/// height, width). Prints as <c>[1,3,224,224]</c>.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    private readonly int[]? _dims;

    public TensorShape(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        long count = 1;
        foreach (int d in dimensions)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dimensions), $"Negative dimension in shape [{string.Join(",", dimensions)}].");
            count *= d;
            if (count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(dimensions), $"Shape [{string.Join(",", dimensions)}] has more than 2^31 elements.");
        }
        _dims = (int[])dimensions.Clone();
        ElementCount = (int)count;
    }

    public int Rank => _dims?.Length ?? 0;
    public int ElementCount { get; }
    public int this[int axis] => (_dims ?? [])[axis < 0 ? Rank + axis : axis];
    public ReadOnlySpan<int> Dimensions => _dims;

    /// <summary>Batch size of an NCHW shape (axis 0).</summary>
    public int N => this[0];
    /// <summary>Channels of an NCHW shape (axis 1).</summary>
    public int C => this[1];
    /// <summary>Height of an NCHW shape (axis 2).</summary>
    public int H => this[2];
    /// <summary>Width of an NCHW shape (axis 3).</summary>
    public int W => this[3];

    public static TensorShape Nchw(int n, int c, int h, int w) => new(n, c, h, w);

    public bool Equals(TensorShape other) => Dimensions.SequenceEqual(other.Dimensions);
    public override bool Equals(object? obj) => obj is TensorShape s && Equals(s);
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dimensions) hash.Add(d);
        return hash.ToHashCode();
    }
    public static bool operator ==(TensorShape a, TensorShape b) => a.Equals(b);
    public static bool operator !=(TensorShape a, TensorShape b) => !a.Equals(b);
    public override string ToString() => "[" + string.Join(",", (_dims ?? [])) + "]";
}
