namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>A named value of the graph during import; every shape is concrete.</summary>
internal abstract record ImportValue(string Name, TensorShape Shape, OnnxDataType Type)
{
    /// <summary>FLOAT, DOUBLE, FLOAT16, BFLOAT16: the values a gradient exists for.</summary>
    public bool IsFloat => IsFloatType(Type);

    public static bool IsFloatType(OnnxDataType type) =>
        type is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 or OnnxDataType.BFloat16;
}

/// <summary>A value computed on the GPU: the output of model node <paramref name="Node"/> (float32 whatever <paramref name="Type"/> says).</summary>
internal sealed record RuntimeValue(string Name, TensorShape Shape, OnnxDataType Type, int Node) : ImportValue(Name, Shape, Type);

/// <summary>
/// Where a constant's values come from when they are a plain copy of (part of) a float initializer:
/// element i of the constant is element <c>Index?[i] ?? i</c> of initializer <paramref name="Initializer"/>.
/// Folding data movements (reshape, transpose, slice...) keeps it, so a weight's gradient can be mapped back.
/// </summary>
internal sealed record InitializerOrigin(string Initializer, int[]? Index)
{
    /// <summary>The origin after a data movement that reads element map.Index[i] for output i.</summary>
    public InitializerOrigin Gathered(IndexMap map)
    {
        var index = new int[map.Output.ElementCount];
        ReadOnlySpan<int> source = map.Index;
        for (int i = 0; i < index.Length; i++)
            index[i] = source[i] < 0 ? -1 : Index is null ? source[i] : Index[source[i]];
        return this with { Index = index };
    }
}

/// <summary>
/// A value known at load time: an initializer, a Constant node, or something folded from constants (shape
/// arithmetic, ConstantOfShape, reshapes of weights). Float types keep <see cref="Floats"/>, integer and bool
/// types <see cref="Integers"/>.
/// </summary>
internal sealed record ConstantValue(string Name, TensorShape Shape, OnnxDataType Type) : ImportValue(Name, Shape, Type)
{
    public float[]? Floats { get; init; }
    public long[]? Integers { get; init; }
    public InitializerOrigin? Origin { get; init; }

    public static ConstantValue FromTensor(string name, OnnxTensor tensor, TensorShape shape, InitializerOrigin? origin)
    {
        bool isFloat = IsFloatType(tensor.DataType);
        return new ConstantValue(name, shape, tensor.DataType)
        {
            Floats = isFloat ? tensor.ToFloatArray() : null,
            Integers = isFloat ? null : tensor.ToInt64Array(),
            Origin = isFloat ? origin : null,
        };
    }

    public static ConstantValue OfIntegers(string name, TensorShape shape, long[] values, OnnxDataType type = OnnxDataType.Int64) =>
        new(name, shape, type) { Integers = values };

    public static ConstantValue OfFloats(string name, TensorShape shape, float[] values, OnnxDataType type = OnnxDataType.Float) =>
        new(name, shape, type) { Floats = values };

    public int Count => Shape.ElementCount;

    /// <summary>The values as float32 (integers converted).</summary>
    public float[] AsFloats() => Floats ?? Array.ConvertAll(Integers!, v => (float)v);

    /// <summary>The values as int64; floats are truncated toward zero, as ONNX Cast does.</summary>
    public long[] AsIntegers() => Integers ?? Array.ConvertAll(Floats!, v => (long)v);

    /// <summary>The same values under another name and shape (reshape, squeeze...); the origin is kept.</summary>
    public ConstantValue Reshaped(string name, TensorShape shape) => this with { Name = name, Shape = shape };

    /// <summary>Element map.Index[i] for output i (transpose, slice, gather...); the origin follows.</summary>
    public ConstantValue Gathered(string name, IndexMap map) => new(name, map.Output, Type)
    {
        Floats = Floats is null ? null : map.Apply<float>(Floats),
        Integers = Integers is null ? null : map.Apply<long>(Integers),
        Origin = Origin?.Gathered(map),
    };
}
