namespace VisionPlugin.Engine;

/// <summary>
/// A data movement known ahead of time: output element i is input element <see cref="Index"/>[i] (or 0 where the
/// index is -1). Transpose, slice, tile, broadcast and gather with constant indices are all such maps; built here on
/// the CPU from the shapes, run on the GPU by <see cref="IndexGather"/>, and applied to host arrays by
/// <see cref="Apply{T}"/> (constant folding). Immutable.
/// </summary>
public sealed class IndexMap
{
    private readonly int[] _index;

    /// <param name="index">One entry per output element, in [-1, input element count).</param>
    /// <exception cref="ArgumentException">The table's length or an entry does not fit the shapes.</exception>
    public IndexMap(TensorShape input, TensorShape output, int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != output.ElementCount)
            throw new ArgumentException($"An index map to {output} needs {output.ElementCount} entries; got {index.Length}.", nameof(index));
        foreach (int source in index)
            if (source < -1 || source >= input.ElementCount)
                throw new ArgumentException($"Index map entry {source} is outside input {input}.", nameof(index));
        Input = input;
        Output = output;
        _index = index;
    }

    public TensorShape Input { get; }
    public TensorShape Output { get; }
    /// <summary>The input element of each output element (-1: zero).</summary>
    public ReadOnlySpan<int> Index => _index;

    /// <summary>output[i] = input[Index[i]] (default(T) for -1).</summary>
    public T[] Apply<T>(ReadOnlySpan<T> input)
    {
        if (input.Length != Input.ElementCount)
            throw new ArgumentException($"Index map from {Input} needs {Input.ElementCount} values; got {input.Length}.", nameof(input));
        var output = new T[_index.Length];
        for (int i = 0; i < output.Length; i++) output[i] = _index[i] >= 0 ? input[_index[i]] : default!;
        return output;
    }

    /// <summary>This map after <paramref name="first"/>: input of <paramref name="first"/> to output of this one.</summary>
    public IndexMap After(IndexMap first)
    {
        if (first.Output != Input)
            throw new ArgumentException($"Cannot chain a map to {first.Output} with a map from {Input}.", nameof(first));
        var index = new int[_index.Length];
        for (int i = 0; i < index.Length; i++) index[i] = _index[i] >= 0 ? first._index[_index[i]] : -1;
        return new IndexMap(first.Input, Output, index);
    }

    /// <summary>
    /// The inverse as compressed rows: the output elements that read input j are
    /// <c>readers[offsets[j] .. offsets[j+1])</c> (what the backward pass sums).
    /// </summary>
    public (int[] Offsets, int[] Readers) Inverse()
    {
        var offsets = new int[Input.ElementCount + 1];
        foreach (int source in _index) if (source >= 0) offsets[source + 1]++;
        for (int j = 0; j < Input.ElementCount; j++) offsets[j + 1] += offsets[j];
        var readers = new int[offsets[^1]];
        var next = (int[])offsets.Clone();
        for (int i = 0; i < _index.Length; i++)
            if (_index[i] >= 0) readers[next[_index[i]]++] = i;
        return (offsets, readers);
    }

    /// <summary>ONNX Transpose: output axis k is input axis perm[k].</summary>
    /// <exception cref="ArgumentException">perm is not a permutation of the input's axes.</exception>
    public static IndexMap Transpose(TensorShape input, IReadOnlyList<int> perm)
    {
        int rank = input.Rank;
        if (perm.Count != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
            throw new ArgumentException($"Transpose perm [{string.Join(",", perm)}] is not a permutation of the {rank} axes of {input}.", nameof(perm));
        int[] strides = Strides(input);
        var output = new TensorShape(perm.Select(p => input[p]).ToArray());
        return Build(input, output, coordinate =>
        {
            int source = 0;
            for (int k = 0; k < rank; k++) source += coordinate[k] * strides[perm[k]];
            return source;
        });
    }

    /// <summary>ONNX Slice with normalized bounds: along axis d, output index t reads start[d] + t * step[d].</summary>
    public static IndexMap Slice(TensorShape input, IReadOnlyList<int> starts, IReadOnlyList<int> steps, TensorShape output)
    {
        int[] strides = Strides(input);
        return Build(input, output, coordinate =>
        {
            int source = 0;
            for (int d = 0; d < input.Rank; d++) source += (starts[d] + coordinate[d] * steps[d]) * strides[d];
            return source;
        });
    }

    /// <summary>ONNX Tile: output axis d is the input's repeated repeats[d] times.</summary>
    public static IndexMap Tile(TensorShape input, IReadOnlyList<int> repeats)
    {
        if (repeats.Count != input.Rank || repeats.Any(r => r < 0))
            throw new ArgumentException($"Tile repeats [{string.Join(",", repeats)}] must give a count >= 0 for each of the {input.Rank} axes of {input}.", nameof(repeats));
        int[] strides = Strides(input);
        var output = new TensorShape(Enumerable.Range(0, input.Rank).Select(d => input[d] * repeats[d]).ToArray());
        return Build(input, output, coordinate =>
        {
            int source = 0;
            for (int d = 0; d < input.Rank; d++) source += coordinate[d] % input[d] * strides[d];
            return source;
        });
    }

    /// <summary>NumPy broadcasting of <paramref name="input"/> to <paramref name="output"/> (ONNX Expand).</summary>
    public static IndexMap Broadcast(TensorShape input, TensorShape output)
    {
        if (input.Rank > output.Rank) throw new ArgumentException($"Cannot broadcast {input} to the lower rank {output}.", nameof(output));
        int shift = output.Rank - input.Rank;
        for (int d = 0; d < input.Rank; d++)
            if (input[d] != 1 && input[d] != output[d + shift])
                throw new ArgumentException($"Cannot broadcast {input} to {output}: axis {d} has size {input[d]}.", nameof(output));
        int[] strides = Strides(input);
        return Build(input, output, coordinate =>
        {
            int source = 0;
            for (int d = 0; d < input.Rank; d++) if (input[d] != 1) source += coordinate[d + shift] * strides[d];
            return source;
        });
    }

    /// <summary>
    /// ONNX Gather along <paramref name="axis"/> with constant indices (negative ones count from the end):
    /// output shape = input[..axis] + indicesShape + input[axis+1..].
    /// </summary>
    /// <exception cref="ArgumentException">An index is outside the axis.</exception>
    public static IndexMap Take(TensorShape input, int axis, IReadOnlyList<long> indices, TensorShape indicesShape)
    {
        int length = input[axis];
        var normalized = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            long index = indices[i] < 0 ? indices[i] + length : indices[i];
            if (index < 0 || index >= length)
                throw new ArgumentException($"Gather index {indices[i]} is outside axis {axis} of {input} (size {length}).", nameof(indices));
            normalized[i] = (int)index;
        }
        int[] dims = [.. input.Dimensions[..axis], .. indicesShape.Dimensions, .. input.Dimensions[(axis + 1)..]];
        var output = new TensorShape(dims);
        int[] strides = Strides(input);
        int[] indexStrides = Strides(indicesShape);
        int indexRank = indicesShape.Rank;
        return Build(input, output, coordinate =>
        {
            int source = 0;
            for (int d = 0; d < axis; d++) source += coordinate[d] * strides[d];
            int flat = 0;
            for (int d = 0; d < indexRank; d++) flat += coordinate[axis + d] * indexStrides[d];
            source += normalized[flat] * strides[axis];
            for (int d = axis + 1; d < input.Rank; d++) source += coordinate[d - 1 + indexRank] * strides[d];
            return source;
        });
    }

    /// <summary>Row-major element strides of <paramref name="shape"/>.</summary>
    public static int[] Strides(TensorShape shape)
    {
        var strides = new int[shape.Rank];
        int stride = 1;
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /// <summary>Walks the output coordinates in row-major order and asks <paramref name="source"/> for each.</summary>
    private static IndexMap Build(TensorShape input, TensorShape output, Func<int[], int> source)
    {
        var index = new int[output.ElementCount];
        var coordinate = new int[output.Rank];
        for (int i = 0; i < index.Length; i++)
        {
            index[i] = source(coordinate);
            for (int d = output.Rank - 1; d >= 0; d--)
            {
                if (++coordinate[d] < output[d]) break;
                coordinate[d] = 0;
            }
        }
        return new IndexMap(input, output, index);
    }

    public override string ToString() => $"IndexMap {Input} -> {Output}";
}
