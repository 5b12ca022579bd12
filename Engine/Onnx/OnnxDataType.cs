namespace VisionPlugin.Engine.Onnx;

/// <summary>Element types of <c>onnx.TensorProto.DataType</c>, with the same numbers.</summary>
public enum OnnxDataType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
    Float8E4M3FN = 17,
    Float8E4M3FNUZ = 18,
    Float8E5M2 = 19,
    Float8E5M2FNUZ = 20,
    UInt4 = 21,
    Int4 = 22,
    Float4E2M1 = 23,
}

/// <summary>Storage facts about each <see cref="OnnxDataType"/>.</summary>
public static class OnnxDataTypes
{
    /// <summary>Bytes per element in <c>raw_data</c>; 0 where it is not a whole number of bytes (4-bit types), a string, or unknown.</summary>
    public static int RawElementBytes(this OnnxDataType type) => type switch
    {
        OnnxDataType.UInt8 or OnnxDataType.Int8 or OnnxDataType.Bool => 1,
        OnnxDataType.Float8E4M3FN or OnnxDataType.Float8E4M3FNUZ or OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ => 1,
        OnnxDataType.UInt16 or OnnxDataType.Int16 or OnnxDataType.Float16 or OnnxDataType.BFloat16 => 2,
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Int64 or OnnxDataType.UInt64 or OnnxDataType.Double or OnnxDataType.Complex64 => 8,
        OnnxDataType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>The name onnx.proto uses: <c>FLOAT</c>, <c>FLOAT16</c>, <c>INT64</c>...</summary>
    public static string ProtoName(this OnnxDataType type) =>
        Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : $"data type {(int)type}";
}
