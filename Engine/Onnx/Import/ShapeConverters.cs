using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Constants and reshapes: Constant, ConstantOfShape, Shape, Size, Identity, Dropout, Cast, Reshape, Flatten,
/// Squeeze, Unsqueeze. Shapes are static, so Shape/Size always fold to constants, and a reshape of a constant is
/// a constant (an initializer keeps its identity through it). A reshape of a computed value is a
/// <see cref="ReshapeToLayer"/> (a copy).
/// </summary>
internal static class ShapeConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Constant"] = Constant;
        table["ConstantOfShape"] = ConstantOfShape;
        table["Shape"] = Shape;
        table["Size"] = b => b.SetConstant(ConstantValue.OfIntegers(b.Output(), ConvertHelpers.Scalar, [b.RequireInput(0, "data").Shape.ElementCount]));
        table["Identity"] = b => b.Alias(b.RequireInput(0, "input"));
        table["Dropout"] = Dropout;
        table["Cast"] = Cast;
        table["Reshape"] = Reshape;
        table["Flatten"] = Flatten;
        table["Squeeze"] = Squeeze;
        table["Unsqueeze"] = Unsqueeze;
    }

    private static void Constant(GraphBuilder b)
    {
        NodeAttributes a = b.Attributes();
        string name = b.Output();
        if (a.Tensor("value") is { } tensor)
        {
            TensorShape shape = InputSignatures.ToShape(tensor.Dims.ToArray(), $"{b.Label} value");
            if (!ImportValue.IsFloatType(tensor.DataType) && tensor.DataType is OnnxDataType.String or OnnxDataType.Complex64 or OnnxDataType.Complex128)
                throw b.Error($"a {tensor.DataType.ProtoName()} constant has no numeric meaning.");
            b.SetConstant(ConstantValue.FromTensor(name, tensor, shape, null));
        }
        else if (a.OptionalFloat("value_float") is { } f) b.SetConstant(ConstantValue.OfFloats(name, ConvertHelpers.Scalar, [f]));
        else if (a.Floats("value_floats") is { } fs) b.SetConstant(ConstantValue.OfFloats(name, new TensorShape(fs.Length), fs));
        else if (a.OptionalInt("value_int") is { } i) b.SetConstant(ConstantValue.OfIntegers(name, ConvertHelpers.Scalar, [i]));
        else if (a.Ints("value_ints") is { } ints) b.SetConstant(ConstantValue.OfIntegers(name, new TensorShape(ints.Length), ints));
        else throw b.Error("needs a numeric 'value', 'value_float(s)' or 'value_int(s)' attribute (sparse and string constants are not supported).");
    }

    private static void ConstantOfShape(GraphBuilder b)
    {
        long[] dims = b.IntegerList("", 0, "shape") ?? throw b.Error("needs its shape input.");
        TensorShape shape = InputSignatures.ToShape(dims, $"{b.Label} shape");
        OnnxTensor? value = b.Attributes().Tensor("value");
        OnnxDataType type = value?.DataType ?? OnnxDataType.Float;
        if (value is not null && value.ElementCount != 1) throw b.Error($"'value' must hold one element; it has {value.ElementCount}.");
        if (ImportValue.IsFloatType(type))
        {
            float fill = value?.ToFloatArray()[0] ?? 0f;
            var values = new float[shape.ElementCount];
            Array.Fill(values, fill);
            b.SetConstant(ConstantValue.OfFloats(b.Output(), shape, values, type));
        }
        else
        {
            long fill = value!.ToInt64Array()[0];
            var values = new long[shape.ElementCount];
            Array.Fill(values, fill);
            b.SetConstant(ConstantValue.OfIntegers(b.Output(), shape, values, type));
        }
    }

    private static void Shape(GraphBuilder b)
    {
        TensorShape shape = b.RequireInput(0, "data").Shape;
        NodeAttributes a = b.Attributes();
        int rank = shape.Rank;
        long start = a.Int("start", 0), end = a.Int("end", rank);
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        long[] dims = shape.Dimensions.ToArray().Select(d => (long)d).Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
        b.SetConstant(ConstantValue.OfIntegers(b.Output(), new TensorShape(dims.Length), dims));
    }

    /// <summary>Inference semantics: the identity; an optional mask output is all true.</summary>
    private static void Dropout(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        b.Alias(input);
        if (b.Node.Outputs.Count > 1 && b.Node.Outputs[1].Length > 0)
        {
            var ones = new long[input.Shape.ElementCount];
            Array.Fill(ones, 1L);
            b.SetConstant(ConstantValue.OfIntegers(b.Node.Outputs[1], input.Shape, ones, OnnxDataType.Bool));
        }
    }

    private static void Cast(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        var to = (OnnxDataType)b.Attributes().Int("to", 0);
        bool toFloat = ImportValue.IsFloatType(to);
        if (!toFloat && !OnnxTensorValues.CanWrite(to) && to is not (OnnxDataType.UInt32 or OnnxDataType.UInt64))
            throw b.Error($"cast to {to.ProtoName()} is not supported (numeric types only).");
        if (input is ConstantValue c)
        {
            if (toFloat) b.SetConstant(new ConstantValue(b.Output(), c.Shape, to) { Floats = c.AsFloats(), Origin = c.Origin });
            else if (to == OnnxDataType.Bool) b.SetConstant(ConstantValue.OfIntegers(b.Output(), c.Shape, c.AsFloats().Select(v => v != 0 ? 1L : 0L).ToArray(), to));
            else b.SetConstant(ConstantValue.OfIntegers(b.Output(), c.Shape, c.AsIntegers(), to));
            return;
        }
        // On the GPU every value is float32: a cast between float types, or of integer data to anything, changes nothing.
        if (toFloat || !input.IsFloat) b.Alias(input, to);
        else throw b.Error($"cast of computed {input.Type.ProtoName()} values to {to.ProtoName()} (rounding on the GPU) is not supported.");
    }

    private static void Reshape(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        long[] target = b.IntegerList("shape", 1, "shape") ?? throw b.Error("needs a 'shape' input (or attribute before opset 5).");
        bool allowZero = b.Attributes().Int("allowzero", 0) != 0;
        TensorShape from = input.Shape;
        var dims = new long[target.Length];
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < target.Length; d++)
        {
            long size = target[d];
            if (size == 0 && !allowZero)
            {
                if (d >= from.Rank) throw b.Error($"shape {ConvertHelpers.Format(target)} copies axis {d} (0), which input {from} does not have.");
                size = from[d];
            }
            if (size == -1)
            {
                if (inferred >= 0) throw b.Error($"shape {ConvertHelpers.Format(target)} has more than one -1.");
                inferred = d;
                continue;
            }
            if (size < 0) throw b.Error($"shape {ConvertHelpers.Format(target)} has a negative size {size}.");
            dims[d] = size;
            known *= size;
        }
        if (inferred >= 0)
        {
            if (known == 0 || from.ElementCount % known != 0)
                throw b.Error($"cannot infer the -1 of shape {ConvertHelpers.Format(target)} for input {from} ({from.ElementCount} values).");
            dims[inferred] = from.ElementCount / known;
        }
        TensorShape shape = InputSignatures.ToShape(dims, $"{b.Label} shape");
        if (shape.ElementCount != from.ElementCount)
            throw b.Error($"cannot reshape {from} ({from.ElementCount} values) to {shape} ({shape.ElementCount} values).");
        SetReshaped(b, input, shape);
    }

    private static void Flatten(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        TensorShape from = input.Shape;
        long axis = b.Attributes().Int("axis", 1);
        if (axis < -from.Rank || axis > from.Rank) throw b.Error($"axis {axis} is outside [-{from.Rank}, {from.Rank}] for input {from}.");
        int split = (int)(axis < 0 ? axis + from.Rank : axis);
        int rows = 1;
        for (int d = 0; d < split; d++) rows *= from[d];
        SetReshaped(b, input, new TensorShape(rows, rows == 0 ? 0 : from.ElementCount / rows));
    }

    private static void Squeeze(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        TensorShape from = input.Shape;
        long[]? axes = b.IntegerList("axes", 1, "axes");
        HashSet<int> drop = axes is null
            ? Enumerable.Range(0, from.Rank).Where(d => from[d] == 1).ToHashSet()
            : axes.Select(a => b.Axis(a, from.Rank, "axes entry")).ToHashSet();
        foreach (int d in drop)
            if (from[d] != 1) throw b.Error($"cannot squeeze axis {d} of {from}: its size is {from[d]}, not 1.");
        SetReshaped(b, input, new TensorShape(Enumerable.Range(0, from.Rank).Where(d => !drop.Contains(d)).Select(d => from[d]).ToArray()));
    }

    private static void Unsqueeze(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "data");
        TensorShape from = input.Shape;
        long[] axes = b.IntegerList("axes", 1, "axes") ?? throw b.Error("needs 'axes'.");
        int rank = from.Rank + axes.Length;
        var inserted = axes.Select(a => b.Axis(a, rank, "axes entry")).ToHashSet();
        if (inserted.Count != axes.Length) throw b.Error($"axes {ConvertHelpers.Format(axes)} repeat an axis.");
        var dims = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) dims[d] = inserted.Contains(d) ? 1 : from[k++];
        SetReshaped(b, input, new TensorShape(dims));
    }

    /// <summary>Output 0 = <paramref name="input"/> with <paramref name="shape"/>: folded for a constant, a copy layer otherwise.</summary>
    public static void SetReshaped(GraphBuilder b, ImportValue input, TensorShape shape)
    {
        if (input is ConstantValue c) b.SetConstant(c.Reshaped(b.Output(), shape));
        else b.SetOutput(b.Reshape(b.NodeOf(input), shape, null), input.Type);
    }
}
