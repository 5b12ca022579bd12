namespace VisionPlugin.Engine;

/// <summary>
/// NumPy / ONNX multidirectional broadcasting for tensors of rank up to 4: shapes are aligned at the right,
/// missing leading axes count as 1, and along each axis the sizes must be equal or one of them 1; the result
/// takes the larger. [2,3,4,5] with [3,1,1] gives [2,3,4,5]; [2,1,4,1] with [1,3,1,5] gives [2,3,4,5].
/// Kernels see every operand as 4-D, with stride 0 along the axes it broadcasts.
/// </summary>
public static class BroadcastShape
{
    /// <summary>The highest rank the elementwise kernels handle.</summary>
    public const int MaxRank = 4;

    /// <summary>The broadcast result of <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast or a rank exceeds <see cref="MaxRank"/>; the message names both shapes.</exception>
    public static TensorShape Of(TensorShape a, TensorShape b, string op = "Broadcast")
    {
        if (a.Rank > MaxRank || b.Rank > MaxRank)
            throw new ArgumentException($"{op} supports ranks up to {MaxRank}; got {a} and {b}.", a.Rank > MaxRank ? nameof(a) : nameof(b));
        int rank = Math.Max(a.Rank, b.Rank);
        var result = new int[rank];
        for (int axis = 1; axis <= rank; axis++)   // counted from the right
        {
            int da = axis <= a.Rank ? a[a.Rank - axis] : 1;
            int db = axis <= b.Rank ? b[b.Rank - axis] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op} cannot broadcast {a} with {b}: axis {rank - axis} (aligned at the right) has sizes {da} and {db}; each must match or be 1.",
                    nameof(b));
            result[rank - axis] = da == 1 ? db : da;
        }
        return new TensorShape(result);
    }

    /// <summary>True when <paramref name="shape"/> broadcasts to exactly <paramref name="target"/>.</summary>
    public static bool BroadcastsTo(TensorShape shape, TensorShape target)
    {
        if (shape.Rank > target.Rank) return false;
        for (int axis = 1; axis <= shape.Rank; axis++)
        {
            int d = shape[shape.Rank - axis];
            if (d != 1 && d != target[target.Rank - axis]) return false;
        }
        return true;
    }

    /// <summary>The shape as 4 sizes, padded at the left with 1s.</summary>
    internal static int[] Dims4(TensorShape shape)
    {
        var dims = new[] { 1, 1, 1, 1 };
        for (int axis = 1; axis <= shape.Rank; axis++) dims[MaxRank - axis] = shape[shape.Rank - axis];
        return dims;
    }

    /// <summary>
    /// Element strides of <paramref name="operand"/> (row-major) for each axis of the 4-D view of
    /// <paramref name="output"/>: 0 along the axes where the operand has size 1 (it repeats there).
    /// </summary>
    internal static int[] Strides4(TensorShape operand, TensorShape output)
    {
        int[] dims = Dims4(operand), outDims = Dims4(output);
        var strides = new int[MaxRank];
        int stride = 1;
        for (int axis = MaxRank - 1; axis >= 0; axis--)
        {
            strides[axis] = dims[axis] == 1 && outDims[axis] != 1 ? 0 : stride;
            stride *= dims[axis];
        }
        return strides;
    }
}
