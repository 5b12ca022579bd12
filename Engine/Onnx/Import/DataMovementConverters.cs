using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Transpose, Concat, Gather, Slice, Split, Tile, Expand and Pad. Each is an <see cref="IndexMap"/> fixed by the
/// static shapes: folded on the host for constants (keeping an initializer's identity through the move), an
/// <see cref="IndexGatherLayer"/> for computed values. A Transpose that only moves size-1 axes is a reshape;
/// Concat of computed values is a <see cref="ConcatLayer"/>; Pad on the two last axes is a <see cref="Pad2dLayer"/>.
/// </summary>
internal static class DataMovementConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Transpose"] = Transpose;
        table["Concat"] = Concat;
        table["Gather"] = Gather;
        table["Slice"] = Slice;
        table["Split"] = Split;
        table["Tile"] = Tile;
        table["Expand"] = Expand;
        table["Pad"] = Pad;
    }

    /// <summary>Output <paramref name="output"/> = <paramref name="map"/> applied to <paramref name="input"/>.</summary>
    private static void Move(GraphBuilder b, ImportValue input, IndexMap map, string output, string? suffix = null)
    {
        if (input is ConstantValue c) b.SetConstant(c.Gathered(output, map));
        else b.SetRuntime(output, b.Add(new IndexGatherLayer(b.LayerName(suffix), map), b.NodeOf(input)), input.Type);
    }

    private static void Transpose(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        TensorShape shape = input.Shape;
        int[] perm = b.Attributes().SmallInts("perm") ?? Enumerable.Range(0, shape.Rank).Reverse().ToArray();
        if (perm.Length != shape.Rank || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= shape.Rank))
            throw b.Error($"perm [{string.Join(",", perm)}] is not a permutation of the {shape.Rank} axes of {shape}.");
        IndexMap map = IndexMap.Transpose(shape, perm);
        // Axes of size 1 carry no data: when the others keep their order the values stay where they are.
        int[] moving = perm.Where(p => shape[p] != 1).ToArray();
        if (input is RuntimeValue && moving.SequenceEqual(moving.Order()))
            ShapeConverters.SetReshaped(b, input, map.Output);
        else Move(b, input, map, b.Output());
    }

    private static void Concat(GraphBuilder b)
    {
        ImportValue[] inputs = Enumerable.Range(0, b.Node.Inputs.Count).Select(i => b.Input(i)).OfType<ImportValue>().ToArray();
        if (inputs.Length == 0) throw b.Error("needs at least one input.");
        int rank = inputs[0].Shape.Rank;
        int axis = b.Axis(b.Attributes().OptionalInt("axis") ?? (b.Opset < 4 ? 1 : throw b.Error("needs the 'axis' attribute.")), rank);
        TensorShape output = Engine.Concat.OutputShape(inputs.Select(v => v.Shape).ToArray(), axis);
        if (inputs.All(v => v is ConstantValue) && ConvertHelpers.Foldable(inputs))
        {
            var constants = inputs.Cast<ConstantValue>().ToArray();
            bool floats = constants.Any(c => c.Floats is not null);
            int outer = 1;
            for (int d = 0; d < axis; d++) outer *= output[d];
            var f = floats ? new List<float>(output.ElementCount) : null;
            var l = floats ? null : new List<long>(output.ElementCount);
            for (int o = 0; o < outer; o++)
                foreach (ConstantValue c in constants)
                {
                    int block = outer == 0 ? 0 : c.Count / outer;
                    if (floats) f!.AddRange(c.AsFloats().AsSpan(o * block, block));
                    else l!.AddRange(c.Integers!.AsSpan(o * block, block));
                }
            b.SetConstant(floats
                ? ConstantValue.OfFloats(b.Output(), output, f!.ToArray(), constants.First(c => c.Floats is not null).Type)
                : ConstantValue.OfIntegers(b.Output(), output, l!.ToArray(), constants[0].Type));
            return;
        }
        ImportValue[] parts = inputs.Where(v => v.Shape.ElementCount > 0).ToArray();
        if (parts.Length == 1) b.Alias(parts[0]);
        else b.SetOutput(b.Add(new ConcatLayer(b.LayerName(), axis), parts.Select(b.NodeOf).ToArray()));
    }

    private static void Gather(GraphBuilder b)
    {
        ImportValue data = b.RequireInput(0, "data");
        ImportValue indices = b.RequireInput(1, "indices");
        if (indices is not ConstantValue { Integers: { } values } constant)
            throw b.Error($"indices '{indices.Name}' are computed at run time (a data-dependent lookup such as an embedding); only constant indices are supported.");
        int axis = b.Axis(b.Attributes().Int("axis", 0), data.Shape.Rank);
        Move(b, data, IndexMap.Take(data.Shape, axis, values, constant.Shape), b.Output());
    }

    private static void Slice(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        TensorShape shape = input.Shape;
        bool fromInputs = b.Opset >= 10;
        long[] starts = (fromInputs ? b.IntegerList("", 1, "starts") : b.Attributes().Ints("starts")) ?? throw b.Error("needs 'starts'.");
        long[] ends = (fromInputs ? b.IntegerList("", 2, "ends") : b.Attributes().Ints("ends")) ?? throw b.Error("needs 'ends'.");
        long[] axes = (fromInputs ? b.IntegerList("", 3, "axes") : b.Attributes().Ints("axes")) ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        long[] steps = (fromInputs ? b.IntegerList("", 4, "steps") : null) ?? Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw b.Error($"starts, ends, axes and steps must have the same length; got {starts.Length}, {ends.Length}, {axes.Length}, {steps.Length}.");
        int rank = shape.Rank;
        var begin = new int[rank];
        var step = Enumerable.Repeat(1, rank).ToArray();
        int[] dims = shape.Dimensions.ToArray();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = b.Axis(axes[i], rank, "axes entry");
            long size = shape[axis], s = steps[i];
            if (s == 0) throw b.Error("a slice step of 0 is not allowed.");
            long start = starts[i] < 0 ? starts[i] + size : starts[i];
            long end = ends[i] < 0 ? ends[i] + size : ends[i];
            long length;
            if (s > 0)
            {
                start = Math.Clamp(start, 0, size);
                end = Math.Clamp(end, 0, size);
                length = Math.Max(0, (end - start + s - 1) / s);
            }
            else
            {
                start = Math.Clamp(start, 0, size - 1);
                end = Math.Clamp(end, -1, size - 1);
                length = Math.Max(0, (start - end + (-s) - 1) / -s);
            }
            begin[axis] = (int)start;
            step[axis] = b.ToInt(s, "step");
            dims[axis] = (int)length;
        }
        Move(b, input, IndexMap.Slice(shape, begin, step, new TensorShape(dims)), b.Output());
    }

    private static void Split(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        TensorShape shape = input.Shape;
        int axis = b.Axis(b.Attributes().Int("axis", 0), shape.Rank);
        int outputs = b.Node.Outputs.Count;
        long[]? sizes = b.Opset >= 13 ? b.IntegerList("", 1, "split") : b.Attributes().Ints("split") ?? (b.Input(1) is not null ? b.IntegerList("", 1, "split") : null);
        if (sizes is null)
        {
            long count = b.Attributes().Int("num_outputs", outputs);
            if (count < 1 || outputs < 1) throw b.Error($"cannot split into {count} outputs.");
            long chunk = (shape[axis] + count - 1) / count;
            sizes = Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(chunk, shape[axis] - i * chunk))).ToArray();
        }
        if (sizes.Length != outputs || sizes.Sum() != shape[axis] || sizes.Any(s => s < 0))
            throw b.Error($"split sizes {ConvertHelpers.Format(sizes)} do not divide axis {axis} of {shape} into {outputs} outputs.");
        int offset = 0;
        for (int k = 0; k < outputs; k++)
        {
            int size = (int)sizes[k];
            if (b.Node.Outputs[k].Length > 0)
            {
                var begin = new int[shape.Rank];
                begin[axis] = offset;
                int[] dims = shape.Dimensions.ToArray();
                dims[axis] = size;
                IndexMap map = IndexMap.Slice(shape, begin, Enumerable.Repeat(1, shape.Rank).ToArray(), new TensorShape(dims));
                Move(b, input, map, b.Node.Outputs[k], $"part{k}");
            }
            offset += size;
        }
    }

    private static void Tile(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        long[] repeats = b.IntegerList("", 1, "repeats") ?? throw b.Error("needs 'repeats'.");
        Move(b, input, IndexMap.Tile(input.Shape, repeats.Select(r => b.ToInt(r, "repeat")).ToArray()), b.Output());
    }

    private static void Expand(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        long[] target = b.IntegerList("", 1, "shape") ?? throw b.Error("needs 'shape'.");
        TensorShape shape = BroadcastShapes(b, input.Shape, InputSignatures.ToShape(target.Select(d => Math.Max(d, 1)).ToArray(), $"{b.Label} shape"));
        Move(b, input, IndexMap.Broadcast(input.Shape, shape), b.Output());
    }

    /// <summary>NumPy broadcast of two shapes of any rank.</summary>
    private static TensorShape BroadcastShapes(GraphBuilder b, TensorShape x, TensorShape y)
    {
        int rank = Math.Max(x.Rank, y.Rank);
        var dims = new int[rank];
        for (int d = 1; d <= rank; d++)
        {
            int dx = d <= x.Rank ? x[x.Rank - d] : 1, dy = d <= y.Rank ? y[y.Rank - d] : 1;
            if (dx != dy && dx != 1 && dy != 1) throw b.Error($"cannot broadcast {x} with {y}.");
            dims[rank - d] = dx == 1 ? dy : dx;
        }
        return new TensorShape(dims);
    }

    private static void Pad(GraphBuilder b) => PadConverter.Convert(b);
}
