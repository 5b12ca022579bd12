namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Typed access to a node's attributes with the ONNX defaults supplied by the caller; an attribute of the wrong type
/// or out of the int range is an <see cref="OnnxImportException"/> naming the node and the attribute.
/// </summary>
internal sealed class NodeAttributes(OnnxNode node, string label)
{
    public bool Has(string name) => node.FindAttribute(name) is not null;

    public long Int(string name, long defaultValue) => Find(name, OnnxAttributeType.Int)?.I ?? defaultValue;

    public long? OptionalInt(string name) => Find(name, OnnxAttributeType.Int)?.I;

    public float Float(string name, float defaultValue) => Find(name, OnnxAttributeType.Float)?.F ?? defaultValue;

    public float? OptionalFloat(string name) => Find(name, OnnxAttributeType.Float)?.F;

    public string String(string name, string defaultValue) => Find(name, OnnxAttributeType.String)?.S ?? defaultValue;

    public long[]? Ints(string name) => Find(name, OnnxAttributeType.Ints)?.Ints.ToArray();

    public float[]? Floats(string name) => Find(name, OnnxAttributeType.Floats)?.Floats.ToArray();

    public OnnxTensor? Tensor(string name) => Find(name, OnnxAttributeType.Tensor)?.T;

    /// <summary>An INTS attribute as ints (sizes, axes, pads).</summary>
    public int[]? SmallInts(string name) => Ints(name) is { } values ? values.Select(v => ToInt(name, v)).ToArray() : null;

    public int ToInt(string name, long value) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new OnnxImportException($"{label}: attribute '{name}' value {value} is out of range.");

    private OnnxAttribute? Find(string name, OnnxAttributeType type)
    {
        OnnxAttribute? attribute = node.FindAttribute(name);
        if (attribute is null) return null;
        // Some exporters write a one-element list where a scalar is meant, or the reverse; accept the obvious cases.
        if (attribute.Type == type) return attribute;
        if (type == OnnxAttributeType.Int && attribute.Type == OnnxAttributeType.Ints && attribute.Ints.Count == 1)
            return attribute with { Type = type, I = attribute.Ints[0] };
        if (type == OnnxAttributeType.Float && attribute.Type == OnnxAttributeType.Int)
            return attribute with { Type = type, F = attribute.I };
        throw new OnnxImportException($"{label}: attribute '{name}' is {attribute.Type.ToString().ToUpperInvariant()}; expected {type.ToString().ToUpperInvariant()}.");
    }
}
