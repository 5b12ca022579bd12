using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// Views of a model cut at one node, sharing (not owning) its layers: the front computes the cut
/// node's tensor, the tail starts from it. Fine-tuning caches the frozen front's activations and
/// trains only the tail. The cut must be a node through which every path from the input to the
/// outputs passes (a block boundary), so the tail needs nothing else from the front.
/// </summary>
public static class ModelSlicing
{
    /// <summary>The nodes 0..<paramref name="cut"/>, with <paramref name="cut"/> as the only output.</summary>
    public static Model Front(Model source, int cut, string? name = null)
    {
        RequireNode(source, cut);
        var front = new Model(source.Context, name ?? source.Name + ".front", [.. source.InputShapes]) { OwnsLayers = false };
        for (int id = source.InputCount; id <= cut; id++)
        {
            var (layer, inputs) = source.NodeAt(id);
            front.Add(layer!, [.. inputs]);
        }
        front.SetOutputs(cut);
        return front;
    }

    /// <summary>
    /// The nodes after <paramref name="cut"/>, fed by one input of the cut node's per-sample shape, with
    /// the source's outputs.
    /// </summary>
    /// <exception cref="ArgumentException">A later node reads a node before the cut (a skip connection crosses it).</exception>
    public static Model Tail(Model source, int cut, string? name = null)
    {
        RequireNode(source, cut);
        TensorShape[] shapes = source.InferShapes(batchSize: 1);
        var tail = new Model(source.Context, name ?? source.Name + ".tail", new TensorShape(shapes[cut].Dimensions[1..].ToArray())) { OwnsLayers = false };
        var map = new Dictionary<int, int> { [cut] = 0 };
        for (int id = cut + 1; id < source.NodeCount; id++)
        {
            var (layer, inputs) = source.NodeAt(id);
            var mapped = new int[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                if (!map.TryGetValue(inputs[k], out mapped[k]))
                    throw new ArgumentException(
                        $"Cannot cut '{source.Name}' at node {cut} ({Describe(source, cut)}): {Describe(source, id)} also reads node {inputs[k]} ({Describe(source, inputs[k])}) from before the cut.", nameof(cut));
            }
            map[id] = tail.Add(layer!, mapped);
        }
        tail.SetOutputs([.. source.Outputs.Select(o => map.TryGetValue(o, out int m) ? m
            : throw new ArgumentException($"Output node {o} of '{source.Name}' lies before the cut at {cut}.", nameof(cut)))]);
        return tail;
    }

    /// <summary>The node id of the layer named <paramref name="layerName"/>.</summary>
    public static int NodeOf(Model model, string layerName)
    {
        for (int id = model.InputCount; id < model.NodeCount; id++)
            if (model.NodeAt(id).Layer!.Name == layerName) return id;
        throw new ArgumentException($"Model '{model.Name}' has no layer named '{layerName}'.", nameof(layerName));
    }

    private static string Describe(Model model, int id) => model.NodeAt(id).Layer is Layer layer ? $"layer '{layer.Name}'" : $"input {id}";

    private static void RequireNode(Model model, int id)
    {
        if (id < model.InputCount || id >= model.NodeCount)
            throw new ArgumentOutOfRangeException(nameof(id), $"Cut node must be a layer node {model.InputCount}..{model.NodeCount - 1} of '{model.Name}'; got {id}.");
    }
}
