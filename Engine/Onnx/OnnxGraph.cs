namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.GraphProto</c>: nodes in topological order, the weights (<paramref name="Initializers"/>),
/// the graph's inputs and outputs, and optional shape information for intermediate values.
/// An input that also has an initializer is a weight with a default, not a data input.
/// </summary>
public sealed record OnnxGraph(
    string Name,
    ValueArray<OnnxNode> Nodes,
    ValueArray<OnnxTensor> Initializers,
    ValueArray<OnnxValueInfo> Inputs,
    ValueArray<OnnxValueInfo> Outputs,
    ValueArray<OnnxValueInfo> ValueInfo)
{
    /// <summary>The initializer called <paramref name="name"/>, or null.</summary>
    public OnnxTensor? FindInitializer(string name)
    {
        foreach (var tensor in Initializers)
            if (tensor.Name == name) return tensor;
        return null;
    }

    /// <summary>Graph inputs that are not initializers: what the caller must feed.</summary>
    public IEnumerable<OnnxValueInfo> DataInputs()
    {
        var weights = new HashSet<string>(Initializers.Select(t => t.Name));
        return Inputs.Where(input => !weights.Contains(input.Name));
    }

    public override string ToString() =>
        $"graph '{Name}': {Nodes.Count} nodes, {Initializers.Count} initializers, inputs ({string.Join(", ", Inputs)}), outputs ({string.Join(", ", Outputs)})";
}
