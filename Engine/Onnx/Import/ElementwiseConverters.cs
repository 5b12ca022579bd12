using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Add, Sub, Mul, Div, Pow (two inputs) and Sum, Max, Min (any number) with NumPy broadcasting, rank 4 at most on the
/// GPU. Before opset 7, 'broadcast' = 1 with an 'axis' aligns the second operand at that axis instead of at the right.
/// Constants that folding keeps exact (integers: shape arithmetic; floats that are not initializers) are computed on
/// the host; otherwise constants become <see cref="ConstantLayer"/> operands, so an initializer used as an operand
/// gets its gradient.
/// </summary>
internal static class ElementwiseConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Add"] = b => Binary(b, BinaryOperator.Add);
        table["Sub"] = b => Binary(b, BinaryOperator.Sub);
        table["Mul"] = b => Binary(b, BinaryOperator.Mul);
        table["Div"] = b => Binary(b, BinaryOperator.Div);
        table["Pow"] = b => Binary(b, BinaryOperator.Pow);
        table["Sum"] = b => Variadic(b, BinaryOperator.Add);
        table["Max"] = b => Variadic(b, BinaryOperator.Max);
        table["Min"] = b => Variadic(b, BinaryOperator.Min);
    }

    private static void Binary(GraphBuilder b, BinaryOperator op)
    {
        ImportValue x = b.RequireInput(0, "A");
        ImportValue y = LegacyAligned(b, x, b.RequireInput(1, "B"));
        b.Alias(Combine(b, op, x, y, null));
    }

    private static void Variadic(GraphBuilder b, BinaryOperator op)
    {
        ImportValue[] inputs = Enumerable.Range(0, b.Node.Inputs.Count).Select(b.Input).OfType<ImportValue>().ToArray();
        if (inputs.Length == 0) throw b.Error("needs at least one input.");
        if (op == BinaryOperator.Add && inputs.Length > 2 && inputs.All(v => v is RuntimeValue && v.Shape == inputs[0].Shape))
        {
            // A residual join of equal shapes: one AddLayer sums them all.
            b.SetOutput(b.Add(new AddLayer(b.LayerName()), inputs.Select(b.NodeOf).ToArray()));
            return;
        }
        ImportValue result = inputs[0];
        for (int i = 1; i < inputs.Length; i++)
            result = Combine(b, op, result, inputs[i], i == inputs.Length - 1 ? null : $"step{i}");
        b.Alias(result);
    }

    /// <summary>x (op) y as a folded constant or a new layer; <paramref name="suffix"/> names intermediate layers.</summary>
    public static ImportValue Combine(GraphBuilder b, BinaryOperator op, ImportValue x, ImportValue y, string? suffix)
    {
        string name = suffix is null ? b.Output() : $"{b.Output()}/{suffix}";
        if (x is ConstantValue cx && y is ConstantValue cy && ConvertHelpers.Foldable(cx, cy))
            return Fold(b, op, cx, cy, name);
        Layer layer = op switch
        {
            BinaryOperator.Add => new AddLayer(b.LayerName(suffix)),
            BinaryOperator.Sub => new SubLayer(b.LayerName(suffix)),
            BinaryOperator.Mul => new MulLayer(b.LayerName(suffix)),
            BinaryOperator.Div => new DivLayer(b.LayerName(suffix)),
            BinaryOperator.Pow => new PowLayer(b.LayerName(suffix)),
            BinaryOperator.Max => new MaxLayer(b.LayerName(suffix)),
            _ => new MinLayer(b.LayerName(suffix)),
        };
        int node = b.Add(layer, b.NodeOf(x), b.NodeOf(y));
        return new RuntimeValue(name, b.ShapeOf(node), x.IsFloat || y.IsFloat ? OnnxDataType.Float : x.Type, node);
    }

    /// <summary>Host evaluation with broadcasting: integer arithmetic for integer operands (division truncates), float32 otherwise.</summary>
    private static ConstantValue Fold(GraphBuilder b, BinaryOperator op, ConstantValue x, ConstantValue y, string name)
    {
        TensorShape shape = Broadcast(b, x.Shape, y.Shape);
        IndexMap mx = IndexMap.Broadcast(x.Shape, shape), my = IndexMap.Broadcast(y.Shape, shape);
        ReadOnlySpan<int> ix = mx.Index, iy = my.Index;
        if (x.Integers is { } xi && y.Integers is { } yi)
        {
            var values = new long[shape.ElementCount];
            for (int i = 0; i < values.Length; i++)
            {
                long p = xi[ix[i]], q = yi[iy[i]];
                values[i] = op switch
                {
                    BinaryOperator.Add => p + q,
                    BinaryOperator.Sub => p - q,
                    BinaryOperator.Mul => p * q,
                    BinaryOperator.Div => q == 0 ? throw b.Error("integer division by zero in a constant.") : p / q,
                    BinaryOperator.Pow => (long)Math.Pow(p, q),
                    BinaryOperator.Max => Math.Max(p, q),
                    _ => Math.Min(p, q),
                };
            }
            return ConstantValue.OfIntegers(name, shape, values, x.Type);
        }
        float[] xf = x.AsFloats(), yf = y.AsFloats();
        var floats = new float[shape.ElementCount];
        for (int i = 0; i < floats.Length; i++)
        {
            float p = xf[ix[i]], q = yf[iy[i]];
            floats[i] = op switch
            {
                BinaryOperator.Add => p + q,
                BinaryOperator.Sub => p - q,
                BinaryOperator.Mul => p * q,
                BinaryOperator.Div => p / q,
                BinaryOperator.Pow => MathF.Pow(p, q),
                BinaryOperator.Max => MathF.Max(p, q),
                _ => MathF.Min(p, q),
            };
        }
        return ConstantValue.OfFloats(name, shape, floats, x.Floats is not null ? x.Type : y.Type);
    }

    private static TensorShape Broadcast(GraphBuilder b, TensorShape x, TensorShape y)
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

    /// <summary>
    /// Opset 1-6 broadcasting: with 'broadcast' = 1 and an 'axis', B's axes line up with A's starting at that axis
    /// (B [3] against A [2,3] at axis 1, [2,1] at axis 0); B is reshaped with trailing ones so NumPy rules agree.
    /// </summary>
    private static ImportValue LegacyAligned(GraphBuilder b, ImportValue x, ImportValue y)
    {
        if (b.Opset >= 7) return y;
        NodeAttributes a = b.Attributes();
        if (a.Int("broadcast", 0) == 0 || a.OptionalInt("axis") is not { } axisValue) return y;
        int axis = b.Axis(axisValue, x.Shape.Rank);
        int trailing = x.Shape.Rank - axis - y.Shape.Rank;
        if (trailing < 0) throw b.Error($"B {y.Shape} does not fit A {x.Shape} from axis {axis}.");
        if (trailing == 0) return y;
        var shape = new TensorShape([.. y.Shape.Dimensions, .. Enumerable.Repeat(1, trailing)]);
        if (y is ConstantValue c) return c.Reshaped(c.Name + "/aligned", shape);
        int node = b.Reshape(b.NodeOf(y), shape, "align");
        return new RuntimeValue(y.Name + "/aligned", shape, y.Type, node);
    }
}
