namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// The operators the importer converts (default ONNX domain) and the check that runs before anything is built:
/// every node whose operator is missing here, or that belongs to another domain, is collected, and one error lists
/// each unsupported operator type with every node that uses it.
/// </summary>
internal static class OperatorSupport
{
    private static readonly Dictionary<string, Action<GraphBuilder>> Table = Build();

    private static Dictionary<string, Action<GraphBuilder>> Build()
    {
        var table = new Dictionary<string, Action<GraphBuilder>>(StringComparer.Ordinal);
        ConvolutionConverters.Register(table);
        PoolingConverters.Register(table);
        NormalizationConverters.Register(table);
        ActivationConverters.Register(table);
        MatrixConverters.Register(table);
        ElementwiseConverters.Register(table);
        ShapeConverters.Register(table);
        DataMovementConverters.Register(table);
        ReductionConverters.Register(table);
        return table;
    }

    /// <summary>Supported operator types, sorted.</summary>
    public static IReadOnlyList<string> Supported { get; } = Table.Keys.Order(StringComparer.Ordinal).ToArray();

    public static Action<GraphBuilder> Converter(string opType) => Table[opType];

    /// <exception cref="OnnxImportException">Some node uses an operator the importer does not convert; the message lists them all.</exception>
    public static void Check(OnnxGraph graph)
    {
        var unsupported = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            OnnxNode node = graph.Nodes[i];
            bool defaultDomain = node.Domain is "" or "ai.onnx";
            if (defaultDomain && Table.ContainsKey(node.OpType)) continue;
            string type = defaultDomain ? node.OpType : $"{node.Domain}.{node.OpType}";
            if (!unsupported.TryGetValue(type, out List<string>? nodes)) unsupported[type] = nodes = [];
            nodes.Add(node.Name.Length > 0 ? $"'{node.Name}'" : $"#{i} (-> {string.Join(", ", node.Outputs.Select(o => $"'{o}'"))})");
        }
        if (unsupported.Count == 0) return;
        string list = string.Join("; ", unsupported.Select(pair =>
            $"{pair.Key} ({(pair.Value.Count == 1 ? "node" : $"{pair.Value.Count} nodes")} {string.Join(", ", pair.Value)})"));
        throw new OnnxImportException(
            $"The model uses {unsupported.Count} operator type(s) the importer does not support: {list}. Supported: {string.Join(", ", Supported)}.");
    }
}
