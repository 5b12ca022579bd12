namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.AttributeProto</c>: a named node parameter. <see cref="Type"/> says which value field is
/// meaningful (FLOAT: <see cref="F"/>, INT: <see cref="I"/>, STRING: <see cref="S"/>, TENSOR:
/// <see cref="T"/>, FLOATS, INTS, STRINGS, TENSORS: the lists). Graph, sparse-tensor and type-proto
/// attributes (control flow, not CNN layers) keep their name and type but their content is skipped
/// when reading, so a model with an <c>If</c> or <c>Loop</c> still loads and an importer can name
/// the unsupported attribute.
/// </summary>
public sealed record OnnxAttribute
{
    public required string Name { get; init; }

    public required OnnxAttributeType Type { get; init; }

    public float F { get; init; }

    public long I { get; init; }

    /// <summary>STRING value (the file holds bytes; they are read as UTF-8).</summary>
    public string S { get; init; } = "";

    public OnnxTensor? T { get; init; }

    public ValueArray<float> Floats { get; init; }

    public ValueArray<long> Ints { get; init; }

    public ValueArray<string> Strings { get; init; }

    public ValueArray<OnnxTensor> Tensors { get; init; }

    public static OnnxAttribute OfFloat(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, F = value };

    public static OnnxAttribute OfInt(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, I = value };

    public static OnnxAttribute OfString(string name, string value) => new() { Name = name, Type = OnnxAttributeType.String, S = value };

    public static OnnxAttribute OfTensor(string name, OnnxTensor value) => new() { Name = name, Type = OnnxAttributeType.Tensor, T = value };

    public static OnnxAttribute OfFloats(string name, params ReadOnlySpan<float> values) =>
        new() { Name = name, Type = OnnxAttributeType.Floats, Floats = ValueArray.Create(values) };

    public static OnnxAttribute OfInts(string name, params ReadOnlySpan<long> values) =>
        new() { Name = name, Type = OnnxAttributeType.Ints, Ints = ValueArray.Create(values) };

    public static OnnxAttribute OfStrings(string name, params ReadOnlySpan<string> values) =>
        new() { Name = name, Type = OnnxAttributeType.Strings, Strings = ValueArray.Create(values) };

    /// <summary>"strides: INTS [2,2]".</summary>
    public override string ToString() => Type switch
    {
        OnnxAttributeType.Float => $"{Name}: FLOAT {F}",
        OnnxAttributeType.Int => $"{Name}: INT {I}",
        OnnxAttributeType.String => $"{Name}: STRING \"{S}\"",
        OnnxAttributeType.Tensor => $"{Name}: TENSOR {T}",
        OnnxAttributeType.Floats => $"{Name}: FLOATS {Floats}",
        OnnxAttributeType.Ints => $"{Name}: INTS {Ints}",
        OnnxAttributeType.Strings => $"{Name}: STRINGS {Strings}",
        OnnxAttributeType.Tensors => $"{Name}: TENSORS ({Tensors.Count})",
        _ => $"{Name}: {Type.ToString().ToUpperInvariant()} (content not read)",
    };
}
