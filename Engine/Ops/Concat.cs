namespace VisionPlugin.Engine;

/// <summary>
/// Concatenation of k tensors along one axis on the GPU (ONNX Concat, torch.cat), forward and backward.
/// The inputs agree on every other axis; the output's axis is the sum of theirs. Seen as [outer, axis, inner]
/// (outer = product of the sizes before the axis, inner = after), input j fills output rows
/// [offset_j, offset_j + axis_j) of every outer slice, with offset_j = sum of the earlier inputs' axis sizes:
/// y[o, offset_j + a, i] = x_j[o, a, i]. Backward splits: dx_j[o, a, i] = dy[o, offset_j + a, i].
/// One copy_rows.comp dispatch per input each way.
/// </summary>
public static class Concat
{
    private const string Op = "Concat";

    /// <summary>Validates the inputs and returns the output shape.</summary>
    /// <param name="axis">Any axis; negative counts from the end (-1 = last), as in ONNX.</param>
    /// <exception cref="ArgumentException">Ranks or sizes off the axis differ; the message names the axis and both shapes.</exception>
    public static TensorShape OutputShape(IReadOnlyList<TensorShape> inputs, int axis)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException($"{Op} needs at least one input.", nameof(inputs));
        TensorShape first = inputs[0];
        int a = NormalizeAxis(axis, first);
        var dims = first.Dimensions.ToArray();
        for (int j = 1; j < inputs.Count; j++)
        {
            TensorShape s = inputs[j];
            bool fits = s.Rank == first.Rank;
            for (int d = 0; fits && d < s.Rank; d++) fits = d == a || s[d] == first[d];
            if (!fits)
                throw new ArgumentException(
                    $"{Op} along axis {axis} needs equal ranks and equal sizes off that axis; input 0 is {first}, input {j} is {s}.", nameof(inputs));
            dims[a] += s[a];
        }
        return new TensorShape(dims);
    }

    /// <summary>output = concat(inputs, axis).</summary>
    public static void Forward(IReadOnlyList<Tensor> inputs, Tensor output, int axis)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        TensorShape[] shapes = inputs.Select(t => t.Shape).ToArray();
        TensorShape outShape = OutputShape(shapes, axis);
        RequireShape(nameof(output), output.Shape, outShape, shapes, axis);
        int a = NormalizeAxis(axis, outShape);
        int offset = 0;
        foreach (Tensor input in inputs)
        {
            var (rows, inner) = Slices(input.Shape, a);
            int rowLength = input.Shape[a] * inner;
            // y[o, offset + r, i] = x[o, r, i]: row o of x is contiguous, and lands at o * (axis * inner) + offset * inner.
            Copy(input.Buffer, output.Buffer, rows, rowLength, rowLength, 0, outShape[a] * inner, offset * inner, beta: 0f);
            offset += input.Shape[a];
        }
    }

    /// <summary>gradInputs[j] (+)= the slab of gradOutput that input j filled; null entries are skipped.</summary>
    /// <param name="inputShapes">The forward inputs' shapes (they locate every slab, including skipped ones).</param>
    /// <param name="accumulate">Add to the gradients (for tensors feeding several layers) instead of overwriting them.</param>
    public static void Backward(Tensor gradOutput, IReadOnlyList<TensorShape> inputShapes, IReadOnlyList<Tensor?> gradInputs, int axis, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(gradInputs);
        TensorShape outShape = OutputShape(inputShapes, axis);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, inputShapes, axis);
        if (gradInputs.Count != inputShapes.Count)
            throw new ArgumentException($"{Op} has {inputShapes.Count} inputs; got {gradInputs.Count} gradient slots.", nameof(gradInputs));
        int a = NormalizeAxis(axis, outShape);
        int offset = 0;
        for (int j = 0; j < inputShapes.Count; j++)
        {
            TensorShape shape = inputShapes[j];
            if (gradInputs[j] is { } gradInput)
            {
                if (gradInput.Shape != shape)
                    throw new ArgumentException($"{Op} gradient of input {j} must be {shape}; got {gradInput.Shape}.", nameof(gradInputs));
                var (rows, inner) = Slices(shape, a);
                int rowLength = shape[a] * inner;
                // dx[o, r, i] = dy[o, offset + r, i]
                Copy(gradOutput.Buffer, gradInput.Buffer, rows, rowLength, outShape[a] * inner, offset * inner, rowLength, 0, accumulate ? 1f : 0f);
            }
            offset += shape[a];
        }
    }

    /// <summary>The axis in [0, rank) for an ONNX-style axis in [-rank, rank).</summary>
    public static int NormalizeAxis(int axis, TensorShape shape)
    {
        if (shape.Rank == 0 || axis < -shape.Rank || axis >= shape.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{Op} axis {axis} is outside [-{shape.Rank}, {shape.Rank}) for {shape}.");
        return axis < 0 ? axis + shape.Rank : axis;
    }

    /// <summary>(product of sizes before the axis, product after it).</summary>
    private static (int Outer, int Inner) Slices(TensorShape shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Rank; d++) inner *= shape[d];
        return (outer, inner);
    }

    private static void Copy(GpuBuffer source, GpuBuffer destination, int rows, int rowLength,
        int sourceRowLength, int sourceOffset, int destinationRowLength, int destinationOffset, float beta)
    {
        destination.Context.Programs.Get("copy_rows.comp")
            .Set("rows", rows).Set("rowLength", rowLength)
            .Set("srcRowLength", sourceRowLength).Set("srcOffset", sourceOffset)
            .Set("dstRowLength", destinationRowLength).Set("dstOffset", destinationOffset)
            .Set("beta", beta)
            .Bind(0, source).Bind(1, destination)
            .DispatchLinear((long)rows * rowLength);
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, IReadOnlyList<TensorShape> inputs, int axis)
    {
        if (actual != expected)
            throw new ArgumentException(
                $"{Op} {name} must be {expected} for inputs {string.Join(", ", inputs)} along axis {axis}; got {actual}.", name);
    }
}
