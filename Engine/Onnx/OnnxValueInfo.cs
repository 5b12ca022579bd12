namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.ValueInfoProto</c> of a tensor value: name, element type and shape. A null
/// <paramref name="Shape"/> means the rank is unknown (no shape in the file); an empty one is a
/// scalar. Values whose type is not a tensor (sequences, maps) read as
/// <see cref="OnnxDataType.Undefined"/> with no shape.
/// </summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, ValueArray<OnnxDimension>? Shape)
{
    /// <summary>"input FLOAT [N,3,224,224]".</summary>
    public override string ToString() =>
        $"{Name} {ElementType.ProtoName()} {(Shape is { } shape ? "[" + string.Join(",", shape) + "]" : "(unknown shape)")}";
}

/// <summary>
/// One dimension of a value's shape (<c>TensorShapeProto.Dimension</c>): a known size
/// (<paramref name="Value"/>), a symbolic name such as "batch" (<paramref name="Param"/>), or neither (unknown).
/// </summary>
public sealed record OnnxDimension(long? Value, string? Param)
{
    public static OnnxDimension Known(long value) => new(value, null);

    public static OnnxDimension Symbolic(string name) => new(null, name);

    public static OnnxDimension Unknown { get; } = new(null, null);

    public bool IsKnown => Value.HasValue;

    public override string ToString() => Value?.ToString() ?? Param ?? "?";
}
