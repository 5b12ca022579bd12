namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.NodeProto</c>: one operator application. <paramref name="Domain"/> is "" for the
/// default ONNX operator set; an empty input name marks an omitted optional input.
/// </summary>
public sealed record OnnxNode(
    string Name,
    string OpType,
    string Domain,
    ValueArray<string> Inputs,
    ValueArray<string> Outputs,
    ValueArray<OnnxAttribute> Attributes)
{
    /// <summary>The attribute called <paramref name="name"/>, or null when the node does not set it.</summary>
    public OnnxAttribute? FindAttribute(string name)
    {
        foreach (var attribute in Attributes)
            if (attribute.Name == name) return attribute;
        return null;
    }

    /// <summary>"Conv 'conv1' (x, w, b) -> (y)".</summary>
    public override string ToString() =>
        $"{(Domain.Length > 0 ? Domain + "." : "")}{OpType} '{Name}' ({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)})";
}
