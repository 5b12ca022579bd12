namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Upper bounds a file must respect before anything sized by its contents is allocated, so a
/// corrupt or hostile file fails fast with a message instead of exhausting memory or the stack.
/// The defaults admit every classic CNN (VGG-19 is ~550 MB, 144M parameters in 20 tensors).
/// </summary>
public sealed record OnnxReadLimits
{
    /// <summary>The defaults: 2 GiB files, 2^28 elements per tensor, 4 GiB of tensor data, 500k nodes, rank 8, depth 64.</summary>
    public static OnnxReadLimits Default { get; } = new();

    /// <summary>Largest file (or byte block) accepted; protobuf itself cannot address more than 2 GiB.</summary>
    public long MaxFileBytes { get; init => field = Positive(value, int.MaxValue); } = int.MaxValue;

    /// <summary>Largest element count (product of dims) of any one tensor.</summary>
    public long MaxElementsPerTensor { get; init => field = Positive(value, long.MaxValue); } = 1L << 28;

    /// <summary>
    /// Largest sum of tensor data bytes in a model: initializers, tensor-valued attributes
    /// (Constant nodes) and external data, counted before the external files are read.
    /// </summary>
    public long MaxTotalInitializerBytes { get; init => field = Positive(value, long.MaxValue); } = 4L << 30;

    /// <summary>Most nodes in the graph.</summary>
    public int MaxNodes { get; init => field = (int)Positive(value, int.MaxValue); } = 500_000;

    /// <summary>Most dimensions of a tensor or a value's shape.</summary>
    public int MaxRank { get; init => field = (int)Positive(value, 64); } = 8;

    /// <summary>Deepest nesting of protobuf messages and groups (unknown groups are skipped without recursion).</summary>
    public int MaxNestingDepth { get; init => field = (int)Positive(value, 10_000); } = 64;

    private static long Positive(long value, long max, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        value is > 0 && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in 1..{max}.");
}
