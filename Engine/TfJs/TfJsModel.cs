namespace VisionPlugin.Engine.TfJs;

/// <summary>A weight as stored by TensorFlow.js (TF layout, e.g. Conv2D [KH,KW,C,K]), dequantized to float32.</summary>
public sealed record TfJsWeight(WeightSpec Spec, ReadOnlyMemory<float> Values)
{
    public string Name => Spec.Name;
    public IReadOnlyList<int> Shape => Spec.Shape;
}

/// <summary>
/// A TensorFlow.js layers model read from disk (<see cref="TfJsModelReader"/>): the Keras layer graph and every weight
/// of the manifest, decoded to float32 on the CPU. Nothing is on the GPU yet; <see cref="TfJsImporter"/> builds an
/// engine <see cref="Models.Model"/> from it. Immutable.
/// </summary>
public sealed class TfJsModel
{
    private readonly Dictionary<string, TfJsWeight> _weights;

    internal TfJsModel(string sourcePath, KerasTopology topology, IReadOnlyList<WeightGroup> manifest, Dictionary<string, TfJsWeight> weights)
    {
        SourcePath = sourcePath;
        Topology = topology;
        Manifest = manifest;
        _weights = weights;
    }

    /// <summary>The model.json or model.min.js it was read from.</summary>
    public string SourcePath { get; }
    public KerasTopology Topology { get; }
    /// <summary>The weights manifest as read (groups, shard paths, storage of each weight).</summary>
    public IReadOnlyList<WeightGroup> Manifest { get; }
    /// <summary>Every weight by its manifest name.</summary>
    public IReadOnlyDictionary<string, TfJsWeight> Weights => _weights;

    /// <summary>
    /// The weight <paramref name="kind"/> (<c>kernel</c>, <c>bias</c>, <c>gamma</c>, ...) of Keras layer
    /// <paramref name="layer"/>: the manifest entry named <c>layer/kind</c>, optionally with a <c>:0</c> suffix or a
    /// scope prefix (<c>model_1/layer/kind</c>) as some converters write. Null when there is none.
    /// </summary>
    /// <exception cref="TfJsFormatException">Several prefixed entries match, so the weight is ambiguous.</exception>
    public TfJsWeight? FindWeight(string layer, string kind)
    {
        string name = $"{layer}/{kind}";
        if (_weights.TryGetValue(name, out TfJsWeight? exact) || _weights.TryGetValue(name + ":0", out exact)) return exact;
        var scoped = _weights.Values.Where(w => Strip(w.Name).EndsWith("/" + name, StringComparison.Ordinal)).ToList();
        return scoped.Count switch
        {
            0 => null,
            1 => scoped[0],
            _ => throw new TfJsFormatException(SourcePath, $"weight '{name}' is ambiguous: {string.Join(", ", scoped.Select(w => w.Name))}."),
        };
    }

    private static string Strip(string name) => name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name;
}
