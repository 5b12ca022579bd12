using System.Buffers.Binary;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Float32 values to and from <see cref="OnnxTensor"/>s of the element types a graph may declare for its inputs and
/// outputs. The engine computes in float32: DOUBLE values are narrowed on the way in and widened on the way out,
/// FLOAT16/BFLOAT16 rounded to nearest, integer and BOOL values (exact up to 2^24) rounded to the nearest integer.
/// </summary>
public static class OnnxTensorValues
{
    /// <summary>True for the element types <see cref="Create"/> writes.</summary>
    public static bool CanWrite(OnnxDataType type) => type is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16
        or OnnxDataType.BFloat16 or OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Int16 or OnnxDataType.Int8
        or OnnxDataType.UInt8 or OnnxDataType.UInt16 or OnnxDataType.Bool;

    /// <summary>A tensor of <paramref name="type"/> holding <paramref name="values"/> (row-major).</summary>
    /// <exception cref="ArgumentException">The type is not one <see cref="CanWrite"/> accepts, or the count does not match.</exception>
    public static OnnxTensor Create(string name, OnnxDataType type, TensorShape shape, ReadOnlySpan<float> values)
    {
        if (values.Length != shape.ElementCount)
            throw new ArgumentException($"Tensor '{name}' of shape {shape} needs {shape.ElementCount} values; got {values.Length}.", nameof(values));
        long[] dims = shape.Dimensions.ToArray().Select(d => (long)d).ToArray();
        switch (type)
        {
            case OnnxDataType.Float:
                return OnnxTensor.FromFloats(name, dims, values);
            case OnnxDataType.Double:
                var doubles = new double[values.Length];
                for (int i = 0; i < values.Length; i++) doubles[i] = values[i];
                return new OnnxTensor { Name = name, DataType = type, Dims = ValueArray.Own(dims), DoubleData = ValueArray.Own(doubles) };
            case OnnxDataType.Float16 or OnnxDataType.BFloat16:
                var raw = new byte[2 * values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    ushort bits = type == OnnxDataType.Float16 ? BitConverter.HalfToUInt16Bits((Half)values[i]) : ToBFloat16(values[i]);
                    BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), bits);
                }
                return new OnnxTensor { Name = name, DataType = type, Dims = ValueArray.Own(dims), RawData = ValueArray.Own(raw) };
            case OnnxDataType.Int64:
                var longs = new long[values.Length];
                for (int i = 0; i < values.Length; i++) longs[i] = (long)Math.Round(values[i], MidpointRounding.ToEven);
                return OnnxTensor.FromInt64s(name, dims, longs);
            case OnnxDataType.Int32 or OnnxDataType.Int16 or OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.UInt16 or OnnxDataType.Bool:
                var ints = new int[values.Length];
                for (int i = 0; i < values.Length; i++)
                    ints[i] = type == OnnxDataType.Bool ? (values[i] != 0 ? 1 : 0) : (int)Math.Round(values[i], MidpointRounding.ToEven);
                return new OnnxTensor { Name = name, DataType = type, Dims = ValueArray.Own(dims), Int32Data = ValueArray.Own(ints) };
            default:
                throw new ArgumentException($"Tensor '{name}': the engine cannot write {type.ProtoName()} values.", nameof(type));
        }
    }

    /// <summary>bfloat16 bits of <paramref name="value"/>, rounded to nearest even (NaN stays NaN).</summary>
    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
