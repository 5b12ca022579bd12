using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// ReduceMean and ReduceSum over the listed axes (all when none are given, unless noop_with_empty_axes), keepdims
/// by default. The mean over the two spatial axes of an NCHW tensor is a <see cref="GlobalAvgPoolLayer"/>; other
/// reductions are a <see cref="ReduceLayer"/> (rank 4 at most), followed by a reshape when keepdims = 0.
/// Axes come from the attribute or, from opset 13 (ReduceSum) / 18 (ReduceMean), the second input.
/// </summary>
internal static class ReductionConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["ReduceMean"] = b => Reduce(b, mean: true);
        table["ReduceSum"] = b => Reduce(b, mean: false);
    }

    private static void Reduce(GraphBuilder b, bool mean)
    {
        ImportValue x = b.RequireInput(0, "data");
        TensorShape xs = x.Shape;
        NodeAttributes a = b.Attributes();
        long[]? axesList = b.IntegerList("axes", 1, "axes");
        if (axesList is null or { Length: 0 } && a.Int("noop_with_empty_axes", 0) != 0)
        {
            b.Alias(x);
            return;
        }
        int[] axes = (axesList is null or { Length: 0 } ? Enumerable.Range(0, xs.Rank).Select(d => (long)d).ToArray() : axesList)
            .Select(axis => b.Axis(axis, xs.Rank, "axes entry")).Distinct().Order().ToArray();
        bool keep = a.Int("keepdims", 1) != 0;
        int[] kept = xs.Dimensions.ToArray();
        foreach (int axis in axes) kept[axis] = 1;
        int node = b.NodeOf(x);
        node = mean && xs.Rank == 4 && axes.SequenceEqual([2, 3])
            ? b.Add(new GlobalAvgPoolLayer(b.LayerName()), node)
            : b.Add(new ReduceLayer(b.LayerName(), axes, mean), node);
        TensorShape result = keep ? new TensorShape(kept) : new TensorShape(Enumerable.Range(0, xs.Rank).Where(d => !axes.Contains(d)).Select(d => xs[d]).ToArray());
        b.SetOutput(b.Reshape(node, result, "squeeze"));
    }
}
