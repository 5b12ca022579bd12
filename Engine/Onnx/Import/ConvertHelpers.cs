namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>Small pieces several converters share: attribute access, axes, integer lists and output naming.</summary>
internal static class ConvertHelpers
{
    /// <summary>The shape of a scalar (rank 0, one element). Not <c>new TensorShape()</c>, which is the zero-element default.</summary>
    public static readonly TensorShape Scalar = new(Array.Empty<int>());

    public static NodeAttributes Attributes(this GraphBuilder b) => new(b.Node, b.Label);

    /// <summary>An ONNX axis in [-rank, rank) as [0, rank).</summary>
    public static int Axis(this GraphBuilder b, long axis, int rank, string what = "axis")
    {
        if (axis < -rank || axis >= rank) throw b.Error($"{what} {axis} is outside [-{rank}, {rank}) for a rank-{rank} input.");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>
    /// An integer list given as attribute <paramref name="attribute"/> (older opsets) or as constant input
    /// <paramref name="input"/> (newer ones); null when neither is present.
    /// </summary>
    public static long[]? IntegerList(this GraphBuilder b, string attribute, int input, string role)
    {
        if (b.Attributes().Ints(attribute) is { } fromAttribute) return fromAttribute;
        if (b.Input(input) is null) return null;
        ConstantValue value = b.RequireConstant(input, role);
        if (value.Integers is null) throw b.Error($"input {input} ({role}) must hold integers; it is {value.Type.ProtoName()}.");
        return value.Integers;
    }

    public static int ToInt(this GraphBuilder b, long value, string what) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw b.Error($"{what} {value} is out of range.");

    /// <summary>Defines output 0 as the runtime value of model node <paramref name="node"/>.</summary>
    public static void SetOutput(this GraphBuilder b, int node, OnnxDataType type = OnnxDataType.Float) => b.SetRuntime(b.Output(), node, type);

    /// <summary>Output 0 is the same value as <paramref name="value"/> (Identity, Dropout in inference, float casts).</summary>
    public static void Alias(this GraphBuilder b, ImportValue value, OnnxDataType? type = null)
    {
        string name = b.Output();
        switch (value)
        {
            case ConstantValue c:
                b.SetConstant(c with { Name = name, Type = type ?? c.Type });
                break;
            case RuntimeValue r:
                b.SetRuntime(name, r.Node, type ?? r.Type);
                break;
        }
    }

    /// <summary>True when every input present is a constant that folding on the host keeps exact for gradients:
    /// integers, or floats that are not (copies of) initializers.</summary>
    public static bool Foldable(params ImportValue?[] values) =>
        values.All(v => v is null || v is ConstantValue { Origin: null });

    /// <summary>The ONNX 'pads' layout [b1, b2, ..., e1, e2, ...] as (begin, end) per spatial axis.</summary>
    public static (int Begin, int End)[] Pads(this GraphBuilder b, int spatialAxes)
    {
        int[] pads = b.Attributes().SmallInts("pads") ?? new int[2 * spatialAxes];
        if (pads.Length != 2 * spatialAxes) throw b.Error($"attribute 'pads' has {pads.Length} values; {spatialAxes} spatial axes need {2 * spatialAxes}.");
        return Enumerable.Range(0, spatialAxes).Select(d => (pads[d], pads[d + spatialAxes])).ToArray();
    }

    /// <summary>A per-axis INTS attribute (strides, dilations) or its default.</summary>
    public static int[] PerAxis(this GraphBuilder b, string attribute, int spatialAxes, int defaultValue)
    {
        int[] values = b.Attributes().SmallInts(attribute) ?? Enumerable.Repeat(defaultValue, spatialAxes).ToArray();
        if (values.Length != spatialAxes) throw b.Error($"attribute '{attribute}' has {values.Length} values; expected {spatialAxes}.");
        if (values.Any(v => v < 1)) throw b.Error($"attribute '{attribute}' [{string.Join(",", values)}] must be positive.");
        return values;
    }

    /// <summary>
    /// Padding per spatial axis under auto_pad: NOTSET takes 'pads'; VALID none; SAME_UPPER / SAME_LOWER pad to
    /// output = ceil(input / stride), the odd extra at the end (UPPER) or the beginning (LOWER).
    /// </summary>
    public static (int Begin, int End)[] AutoPads(this GraphBuilder b, int[] input, int[] kernel, int[] strides, int[] dilations)
    {
        string autoPad = b.Attributes().String("auto_pad", "NOTSET");
        int n = input.Length;
        switch (autoPad)
        {
            case "NOTSET" or "":
                return b.Pads(n);
            case "VALID":
                return new (int, int)[n];
            case "SAME_UPPER" or "SAME_LOWER":
                var pads = new (int, int)[n];
                for (int d = 0; d < n; d++)
                {
                    int output = (input[d] + strides[d] - 1) / strides[d];
                    int total = Math.Max(0, (output - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - input[d]);
                    pads[d] = autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
                }
                return pads;
            default:
                throw b.Error($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER.");
        }
    }

    public static string Format(IEnumerable<long> values) => "[" + string.Join(",", values) + "]";
}
