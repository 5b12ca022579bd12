namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// How <see cref="OnnxExporter"/> names and labels what it writes. Immutable; the defaults give a graph with
/// input <c>input</c> [N,C,H,W] and output <c>output</c>, the batch axis symbolic (<c>dim_param "N"</c>).
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>Graph input names, one per model input; null: <c>input</c> (one input) or <c>input_0</c>, <c>input_1</c>, ...</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>Graph output names, one per model output; null: <c>output</c> (one output) or <c>output_0</c>, <c>output_1</c>, ...</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>The symbolic name of the batch axis (<c>dim_param</c>) of every graph input and output.</summary>
    public string BatchDimension { get; init; } = "N";

    /// <summary>
    /// A fixed batch size per model input: every value of the graph then has fixed dimensions (what an imported graph
    /// needs, whose layers reshape the whole tensor). Null: the batch axis is symbolic (<see cref="BatchDimension"/>).
    /// </summary>
    public IReadOnlyList<int>? BatchSizes { get; init; }

    /// <summary>The graph's name; null: the model's name.</summary>
    public string? GraphName { get; init; }

    /// <summary>Free text stored as the model's <c>doc_string</c>.</summary>
    public string DocString { get; init; } = "";

    public static OnnxExportOptions Default { get; } = new();

    /// <summary>The graph input names for a model with <paramref name="count"/> inputs.</summary>
    internal IReadOnlyList<string> ResolveInputNames(int count) => Resolve(InputNames, count, "input", nameof(InputNames));

    /// <summary>The graph output names for a model with <paramref name="count"/> outputs.</summary>
    internal IReadOnlyList<string> ResolveOutputNames(int count) => Resolve(OutputNames, count, "output", nameof(OutputNames));

    private static IReadOnlyList<string> Resolve(IReadOnlyList<string>? names, int count, string stem, string option)
    {
        if (names is null) return count == 1 ? [stem] : Enumerable.Range(0, count).Select(i => $"{stem}_{i}").ToArray();
        if (names.Count != count)
            throw new ArgumentException($"ONNX export option {option} names {names.Count} values; the model has {count}.", option);
        foreach (string name in names)
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"ONNX export option {option} has an empty name.", option);
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"ONNX export option {option} repeats a name: [{string.Join(", ", names)}].", option);
        return names;
    }
}
