namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// How <see cref="OnnxImporter"/> loads a model. Every shape is fixed at load time: a graph input's unknown or
/// symbolic dimensions take the sizes given in <see cref="InputShapes"/> (the command line passes the shapes of the
/// input files it was given), else 1. Immutable.
/// </summary>
public sealed record OnnxImportOptions
{
    public static OnnxImportOptions Default { get; } = new();

    /// <summary>Concrete shapes per graph input name; each must agree with the graph's known dimensions.</summary>
    public IReadOnlyDictionary<string, int[]>? InputShapes { get; init; }

    /// <summary>Limits for reading the file (default <see cref="OnnxReadLimits.Default"/>).</summary>
    public OnnxReadLimits? ReadLimits { get; init; }

    /// <summary>
    /// Largest GPU buffer to plan for, in bytes; null takes the driver's storage-block limit (128 MiB on llvmpipe).
    /// Fully connected weights larger than this are split by output rows (<see cref="Layers.ShardedLinearLayer"/>).
    /// </summary>
    public long? MaxBufferBytes { get; init; }
}
