using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.TensorProto</c>: a named, typed, dense tensor. The values live in exactly one storage
/// field, as in the file: <see cref="RawData"/> (little-endian elements, what exporters write) or
/// the typed field for the type (FLOAT: <see cref="FloatData"/>; INT32, INT16, INT8, UINT16, UINT8,
/// BOOL, FLOAT16, BFLOAT16: <see cref="Int32Data"/>; INT64: <see cref="Int64Data"/>; DOUBLE:
/// <see cref="DoubleData"/>; UINT32, UINT64: <see cref="UInt64Data"/>; STRING: <see cref="StringData"/>).
/// External data is resolved by the reader into <see cref="RawData"/>, so a tensor never refers to
/// a file. Use <see cref="ToFloatArray"/> / <see cref="ToInt64Array"/> to get values whatever the storage.
/// </summary>
public sealed partial record OnnxTensor
{
    public required string Name { get; init; }

    public required OnnxDataType DataType { get; init; }

    /// <summary>Shape, outermost first; empty for a scalar.</summary>
    public ValueArray<long> Dims { get; init; }

    public ValueArray<float> FloatData { get; init; }

    public ValueArray<int> Int32Data { get; init; }

    public ValueArray<long> Int64Data { get; init; }

    public ValueArray<double> DoubleData { get; init; }

    public ValueArray<ulong> UInt64Data { get; init; }

    /// <summary>STRING elements (the file holds bytes; they are read as UTF-8).</summary>
    public ValueArray<string> StringData { get; init; }

    public ValueArray<byte> RawData { get; init; }

    /// <summary>Product of <see cref="Dims"/> (1 for a scalar).</summary>
    /// <exception cref="OnnxFormatException">A dimension is negative or the product overflows.</exception>
    public long ElementCount =>
        CountElements($"tensor '{Name}'", Dims.AsSpan(), long.MaxValue, out long count) is { } problem ? throw new OnnxFormatException(problem + ".") : count;

    /// <summary>A FLOAT tensor holding <paramref name="values"/> in <see cref="RawData"/>, as exporters write weights.</summary>
    public static OnnxTensor FromFloats(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        var bytes = new byte[checked(values.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return Checked(new OnnxTensor { Name = name, DataType = OnnxDataType.Float, Dims = ValueArray.Create(dims), RawData = ValueArray.Own(bytes) }, values.Length);
    }

    /// <summary>An INT64 tensor (shapes, axes, indices) holding <paramref name="values"/> in <see cref="Int64Data"/>.</summary>
    public static OnnxTensor FromInt64s(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values) =>
        Checked(new OnnxTensor { Name = name, DataType = OnnxDataType.Int64, Dims = ValueArray.Create(dims), Int64Data = ValueArray.Create(values) }, values.Length);

    /// <summary>"tensor 'conv1.weight' FLOAT [64,3,7,7]".</summary>
    public override string ToString() => $"tensor '{Name}' {DataType.ProtoName()} {Dims}";

    private static OnnxTensor Checked(OnnxTensor tensor, int valueCount)
    {
        if (CountElements($"tensor '{tensor.Name}'", tensor.Dims.AsSpan(), long.MaxValue, out long count) is { } problem)
            throw new ArgumentException(problem, "dims");
        if (count != valueCount)
            throw new ArgumentException($"Tensor '{tensor.Name}' dims {tensor.Dims} hold {count} elements; got {valueCount} values.", "values");
        return tensor;
    }

    /// <summary>
    /// Multiplies <paramref name="dims"/> without overflow; returns why they are refused (negative,
    /// or more than <paramref name="limit"/> elements) or null. Runs before anything is allocated.
    /// </summary>
    /// <param name="label">"tensor 'w'", for the message.</param>
    internal static string? CountElements(string label, ReadOnlySpan<long> dims, long limit, out long count)
    {
        count = 1;
        foreach (long dim in dims)
            if (dim < 0) return $"{label} dims {Format(dims)} has a negative dimension";
        if (dims.Contains(0L)) { count = 0; return null; }
        foreach (long dim in dims)
        {
            if (dim > limit / count)
                return $"{label} dims {Format(dims)} exceeds the element limit {limit}";
            count *= dim;
        }
        return null;
    }

    /// <summary>"[100000,100000,100000]".</summary>
    internal static string Format(ReadOnlySpan<long> dims) => "[" + string.Join(",", dims.ToArray()) + "]";

    /// <summary>
    /// Why the storage does not hold exactly <see cref="ElementCount"/> elements of
    /// <see cref="DataType"/> in one field, or null when it does.
    /// </summary>
    internal string? StorageProblem() =>
        CountElements($"tensor '{Name}'", Dims.AsSpan(), long.MaxValue, out long count) is { } dimsProblem
            ? dimsProblem
            : StorageProblem(ToString(), DataType, count, new StorageCounts(
                FloatData.Count, Int32Data.Count, Int64Data.Count, DoubleData.Count, UInt64Data.Count, StringData.Count, RawData.Count));

    /// <summary>
    /// The storage rules of onnx.proto on value counts alone, so the reader can apply them before
    /// decoding anything: one field holds the data, raw_data holds count x element bytes, the typed
    /// field count values (two per complex element).
    /// </summary>
    internal static string? StorageProblem(string tensor, OnnxDataType type, long count, StorageCounts counts)
    {
        StorageField expected = TypedFieldOf(type);
        for (var field = StorageField.FloatData; field <= StorageField.StringData; field++)
            if (counts[field] > 0 && field != expected)
                return $"{tensor} has values in {FieldName(field)}, but {type.ProtoName()} data belongs in {FieldName(expected)} or raw_data";
        long typedCount = counts[expected];
        if (counts.RawBytes > 0)
        {
            if (typedCount > 0) return $"{tensor} has values in both raw_data and {FieldName(expected)}";
            if (type is OnnxDataType.String or OnnxDataType.Undefined)
                return $"{tensor} cannot keep {type.ProtoName()} elements in raw_data";
            int elementBytes = type.RawElementBytes();
            long expectedBytes = elementBytes > 0 ? count * elementBytes : (count + 1) / 2; // 4-bit types pack two per byte
            if (Enum.IsDefined(type) && counts.RawBytes != expectedBytes)
                return $"{tensor} has {counts.RawBytes} bytes of raw_data; {count} elements need {expectedBytes}";
            return null;
        }
        long needed = count * ValuesPerElement(type);
        if (count == 0 || typedCount == needed) return null;
        return typedCount == 0
            ? $"{tensor} has no data ({count} elements expected)"
            : $"{tensor} has {typedCount} values in {FieldName(expected)}; {count} elements need {needed}";
    }

    internal enum StorageField { None, FloatData, Int32Data, Int64Data, DoubleData, UInt64Data, StringData }

    /// <summary>How many values each storage field holds (bytes for raw_data).</summary>
    internal readonly record struct StorageCounts(long FloatData, long Int32Data, long Int64Data, long DoubleData, long UInt64Data, long StringData, long RawBytes)
    {
        public long this[StorageField field] => field switch
        {
            StorageField.FloatData => FloatData,
            StorageField.Int32Data => Int32Data,
            StorageField.Int64Data => Int64Data,
            StorageField.DoubleData => DoubleData,
            StorageField.UInt64Data => UInt64Data,
            StorageField.StringData => StringData,
            _ => 0,
        };
    }

    /// <summary>Which typed field onnx.proto assigns to each data type.</summary>
    internal static StorageField TypedFieldOf(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Complex64 => StorageField.FloatData,
        OnnxDataType.Double or OnnxDataType.Complex128 => StorageField.DoubleData,
        OnnxDataType.Int64 => StorageField.Int64Data,
        OnnxDataType.UInt32 or OnnxDataType.UInt64 => StorageField.UInt64Data,
        OnnxDataType.String => StorageField.StringData,
        OnnxDataType.Undefined => StorageField.None,
        _ => StorageField.Int32Data, // 8- and 16-bit integers, BOOL, FLOAT16, BFLOAT16, FLOAT8*, 4-bit types
    };

    internal static int ValuesPerElement(OnnxDataType type) => type is OnnxDataType.Complex64 or OnnxDataType.Complex128 ? 2 : 1;

    internal static string FieldName(StorageField field) => field switch
    {
        StorageField.FloatData => "float_data",
        StorageField.Int32Data => "int32_data",
        StorageField.Int64Data => "int64_data",
        StorageField.DoubleData => "double_data",
        StorageField.UInt64Data => "uint64_data",
        StorageField.StringData => "string_data",
        _ => "no typed field",
    };
}
