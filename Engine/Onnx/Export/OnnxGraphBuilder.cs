namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Collects the nodes and initializers of a graph being exported and hands out value names. ONNX values (graph
/// inputs, outputs, initializers, node outputs) share one name space: <see cref="Reserve"/> claims an exact name
/// (graph inputs and outputs, parameter names) and fails on a clash; <see cref="Unique"/> derives a free name
/// from a stem (layer outputs, helper values), adding <c>_1</c>, <c>_2</c>, ... when the stem is taken.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimedForInitializers = new(StringComparer.Ordinal);

    public IReadOnlyList<OnnxNode> Nodes => _nodes;
    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Claims <paramref name="name"/> exactly.</summary>
    /// <exception cref="ArgumentException">The name is already used by another value.</exception>
    public string Reserve(string name, string what)
    {
        if (!_values.Add(name)) throw new ArgumentException($"ONNX export: {what} '{name}' clashes with another value of the graph.");
        return name;
    }

    /// <summary>Claims <paramref name="name"/> for an initializer added later with <see cref="AddReservedInitializer"/>.</summary>
    public void ReserveInitializer(string name, string what)
    {
        Reserve(name, what);
        _claimedForInitializers.Add(name);
    }

    /// <summary><paramref name="stem"/> when free, else the first free <c>stem_1</c>, <c>stem_2</c>, ...; claims it.</summary>
    public string Unique(string stem)
    {
        string name = stem;
        for (int i = 1; !_values.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    /// <summary>Appends a node of the default domain; its name is <paramref name="nodeName"/> made unique among nodes.</summary>
    public void AddNode(string opType, string nodeName, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params OnnxAttribute[] attributes)
    {
        string name = nodeName;
        for (int i = 1; !_nodeNames.Add(name); i++) name = $"{nodeName}_{i}";
        _nodes.Add(new OnnxNode(name, opType, "", ValueArray.From(inputs), ValueArray.From(outputs), ValueArray.Create<OnnxAttribute>(attributes)));
    }

    /// <summary>Adds a FLOAT initializer under a name claimed with <see cref="ReserveInitializer"/> (a parameter's own name).</summary>
    public string AddReservedInitializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        if (!_claimedForInitializers.Remove(name))
            throw new InvalidOperationException($"ONNX export: initializer '{name}' was not reserved, or is added twice.");
        _initializers.Add(OnnxTensor.FromFloats(name, dims, values));
        return name;
    }

    /// <summary>Adds a FLOAT initializer under a unique name derived from <paramref name="stem"/>; returns the name.</summary>
    public string AddFloats(string stem, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        string name = Unique(stem);
        _initializers.Add(OnnxTensor.FromFloats(name, dims, values));
        return name;
    }

    /// <summary>Adds an INT64 initializer (shapes, pads) under a unique name derived from <paramref name="stem"/>.</summary>
    public string AddInt64s(string stem, ReadOnlySpan<long> dims, ReadOnlySpan<long> values)
    {
        string name = Unique(stem);
        _initializers.Add(OnnxTensor.FromInt64s(name, dims, values));
        return name;
    }
}
