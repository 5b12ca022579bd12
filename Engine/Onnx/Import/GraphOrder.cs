namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// The order the importer visits nodes in: a topological order of the graph (the file's order where it already is
/// one, as ONNX requires), found with Kahn's algorithm. Refuses, naming the nodes and values: a value produced by two
/// nodes, a value nothing produces (not a graph input, initializer or node output), and a cycle.
/// </summary>
internal static class GraphOrder
{
    /// <summary>"Conv 'conv1'" or, for an unnamed node, "Conv #3 (-> 'y')".</summary>
    public static string Label(OnnxNode node, int index) =>
        node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : $"{node.OpType} #{index} (-> {string.Join(", ", node.Outputs.Select(o => $"'{o}'"))})";

    /// <summary>Node indices in a valid execution order.</summary>
    /// <exception cref="OnnxImportException">Two producers, a missing value, or a cycle.</exception>
    public static int[] Sort(OnnxGraph graph)
    {
        var available = new HashSet<string>(graph.Inputs.Select(i => i.Name).Concat(graph.Initializers.Select(t => t.Name))) { "" };
        var producer = new Dictionary<string, int>();
        for (int i = 0; i < graph.Nodes.Count; i++)
            foreach (string output in graph.Nodes[i].Outputs)
            {
                if (output.Length == 0) continue;
                if (producer.TryGetValue(output, out int other))
                    throw new OnnxImportException(
                        $"Value '{output}' is produced by two nodes: {Label(graph.Nodes[other], other)} and {Label(graph.Nodes[i], i)}.");
                if (available.Contains(output))
                    throw new OnnxImportException($"{Label(graph.Nodes[i], i)} writes '{output}', which is already a graph input or initializer.");
                producer[output] = i;
            }

        // dependsOn[i]: the nodes whose outputs node i reads.
        var dependsOn = new HashSet<int>[graph.Nodes.Count];
        var users = new List<int>[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++) users[i] = [];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            dependsOn[i] = [];
            foreach (string input in graph.Nodes[i].Inputs)
            {
                if (available.Contains(input)) continue;
                if (!producer.TryGetValue(input, out int source))
                    throw new OnnxImportException(
                        $"{Label(graph.Nodes[i], i)} reads '{input}', which no node, graph input or initializer produces.");
                if (dependsOn[i].Add(source)) users[source].Add(i);
            }
        }

        var remaining = dependsOn.Select(d => d.Count).ToArray();
        var ready = new SortedSet<int>(Enumerable.Range(0, graph.Nodes.Count).Where(i => remaining[i] == 0));
        var order = new List<int>(graph.Nodes.Count);
        while (ready.Count > 0)
        {
            int next = ready.Min;
            ready.Remove(next);
            order.Add(next);
            foreach (int user in users[next])
                if (--remaining[user] == 0) ready.Add(user);
        }
        if (order.Count < graph.Nodes.Count) throw CycleError(graph, dependsOn, remaining);
        foreach (string output in graph.Outputs.Select(o => o.Name))
            if (!available.Contains(output) && !producer.ContainsKey(output))
                throw new OnnxImportException($"Graph output '{output}' is not produced by any node, graph input or initializer.");
        return order.ToArray();
    }

    /// <summary>Walks dependencies among the unsorted nodes until one repeats: that loop is the reported cycle.</summary>
    private static OnnxImportException CycleError(OnnxGraph graph, HashSet<int>[] dependsOn, int[] remaining)
    {
        int start = Array.FindIndex(remaining, r => r > 0);
        var path = new List<int>();
        var seen = new Dictionary<int, int>();
        int current = start;
        while (!seen.ContainsKey(current))
        {
            seen[current] = path.Count;
            path.Add(current);
            current = dependsOn[current].First(d => remaining[d] > 0);
        }
        List<int> cycle = path.Skip(seen[current]).Reverse().ToList();
        string nodes = string.Join(" -> ", cycle.Append(cycle[0]).Select(i => Label(graph.Nodes[i], i)));
        int stuck = remaining.Count(r => r > 0);
        return new OnnxImportException(
            $"The graph has a cycle: {nodes} (each reads an output of the one before); {stuck} node(s) can never run.");
    }
}
