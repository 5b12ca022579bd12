using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VisionPlugin.Engine.Onnx;

/// <summary>Value conversions of <see cref="OnnxTensor"/>, whatever field stores the values.</summary>
public sealed partial record OnnxTensor
{
    /// <summary>
    /// The elements as float32 in row-major order: FLOAT as is; FLOAT16 and BFLOAT16 widened;
    /// DOUBLE, integer types and BOOL (0/1) converted numerically (rounding large integers).
    /// </summary>
    /// <exception cref="OnnxFormatException">The type has no float meaning (STRING, complex, 8-bit floats...) or the storage does not match the dims.</exception>
    public float[] ToFloatArray()
    {
        int count = CheckedCount("float");
        if (count == 0) return [];
        var result = new float[count];
        if (RawData.Count > 0) DecodeRaw(RawData.AsSpan(), result);
        else DecodeTyped(result);
        return result;
    }

    /// <summary>The elements of an integer or BOOL tensor as int64 in row-major order.</summary>
    /// <exception cref="OnnxFormatException">The type is not an integer type, a UINT64 value exceeds int64, or the storage does not match the dims.</exception>
    public long[] ToInt64Array()
    {
        if (DataType is not (OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Int16 or OnnxDataType.UInt16 or OnnxDataType.Int32
            or OnnxDataType.UInt32 or OnnxDataType.Int64 or OnnxDataType.UInt64 or OnnxDataType.Bool))
            throw new OnnxFormatException($"{this}: {DataType.ProtoName()} is not an integer type; cannot convert to int64.");
        int count = CheckedCount("int64");
        if (count == 0) return [];
        var result = new long[count];
        ReadOnlySpan<byte> raw = RawData.AsSpan();
        bool isRaw = raw.Length > 0;
        for (int i = 0; i < count; i++)
        {
            result[i] = DataType switch
            {
                OnnxDataType.Int64 => isRaw ? BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]) : Int64Data[i],
                OnnxDataType.UInt32 => isRaw ? BinaryPrimitives.ReadUInt32LittleEndian(raw[(4 * i)..]) : ToInt64(UInt64Data[i]),
                OnnxDataType.UInt64 => ToInt64(isRaw ? BinaryPrimitives.ReadUInt64LittleEndian(raw[(8 * i)..]) : UInt64Data[i]),
                OnnxDataType.Int32 => isRaw ? BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]) : Int32Data[i],
                OnnxDataType.Int16 => isRaw ? BinaryPrimitives.ReadInt16LittleEndian(raw[(2 * i)..]) : (short)Int32Data[i],
                OnnxDataType.UInt16 => isRaw ? BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]) : (ushort)Int32Data[i],
                OnnxDataType.Int8 => isRaw ? (sbyte)raw[i] : (sbyte)Int32Data[i],
                OnnxDataType.UInt8 => isRaw ? raw[i] : (byte)Int32Data[i],
                _ => (isRaw ? raw[i] : Int32Data[i]) != 0 ? 1 : 0, // BOOL
            };
        }
        return result;
    }

    private long ToInt64(ulong value) =>
        value <= long.MaxValue ? (long)value : throw new OnnxFormatException($"{this}: UINT64 value {value} does not fit in int64.");

    /// <summary>Element count as an array length, after checking that the storage matches the dims.</summary>
    private int CheckedCount(string target)
    {
        if (StorageProblem() is { } problem) throw new OnnxFormatException(problem + ".");
        if (DataType is OnnxDataType.String or OnnxDataType.Complex64 or OnnxDataType.Complex128 or OnnxDataType.Undefined
            || (!Enum.IsDefined(DataType) || DataType >= OnnxDataType.Float8E4M3FN))
            throw new OnnxFormatException($"{this}: {DataType.ProtoName()} elements cannot be converted to {target}.");
        long count = ElementCount;
        return count <= Array.MaxLength ? (int)count : throw new OnnxFormatException($"{this} has {count} elements, more than one array can hold.");
    }

    private void DecodeRaw(ReadOnlySpan<byte> raw, Span<float> result)
    {
        if (DataType == OnnxDataType.Float && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(raw).CopyTo(result);
            return;
        }
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DataType switch
            {
                OnnxDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]),
                OnnxDataType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]),
                OnnxDataType.BFloat16 => BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..])),
                OnnxDataType.Double => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]),
                OnnxDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]),
                OnnxDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(raw[(8 * i)..]),
                OnnxDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]),
                OnnxDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(raw[(4 * i)..]),
                OnnxDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw[(2 * i)..]),
                OnnxDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]),
                OnnxDataType.Int8 => (sbyte)raw[i],
                OnnxDataType.UInt8 => raw[i],
                _ => raw[i] != 0 ? 1f : 0f, // BOOL
            };
        }
    }

    private void DecodeTyped(Span<float> result)
    {
        switch (DataType)
        {
            case OnnxDataType.Float:
                FloatData.AsSpan().CopyTo(result);
                return;
            case OnnxDataType.Double:
                for (int i = 0; i < result.Length; i++) result[i] = (float)DoubleData[i];
                return;
            case OnnxDataType.Int64:
                for (int i = 0; i < result.Length; i++) result[i] = Int64Data[i];
                return;
            case OnnxDataType.UInt32 or OnnxDataType.UInt64:
                for (int i = 0; i < result.Length; i++) result[i] = UInt64Data[i];
                return;
        }
        // The rest keep one element per int32_data entry; 16-bit floats store their bit pattern there.
        for (int i = 0; i < result.Length; i++)
        {
            int value = Int32Data[i];
            result[i] = DataType switch
            {
                OnnxDataType.Float16 => (float)BitConverter.UInt16BitsToHalf((ushort)value),
                OnnxDataType.BFloat16 => BFloat16ToSingle((ushort)value),
                OnnxDataType.Int16 => (short)value,
                OnnxDataType.UInt16 => (ushort)value,
                OnnxDataType.Int8 => (sbyte)value,
                OnnxDataType.UInt8 => (byte)value,
                OnnxDataType.Bool => value != 0 ? 1f : 0f,
                _ => value, // INT32
            };
        }
    }

    /// <summary>bfloat16 is the upper half of a float32's bits.</summary>
    private static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);
}
