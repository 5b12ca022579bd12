using static Google.Protobuf.WireFormat;
using StorageField = VisionPlugin.Engine.Onnx.OnnxTensor.StorageField;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Decodes a <c>TensorProto</c> in three passes over its bytes so that nothing sized by the file
/// is allocated before it has been checked: (1) scan — name, type, where the data lives, and how
/// many dims and values each field holds; (2) decode the dims and check rank, element count and
/// that the stored values match them; (3) decode exactly those values (or read the external file).
/// </summary>
internal static class OnnxTensorDecoder
{
    private const int DataLocationExternal = 1;

    /// <param name="owner">Names the tensor in messages when it has no name (e.g. "attribute 'value' of node 'c1'").</param>
    public static OnnxTensor Read(ProtoReader reader, string owner)
    {
        var context = reader.Context;
        var scan = Scan(reader);
        string label = scan.Name.Length > 0 ? $"tensor '{scan.Name}'" : $"the tensor of {owner}";
        string name = scan.Name.Length > 0 ? scan.Name : owner;
        if (scan.Segmented) throw context.Error($"{label} is segmented (TensorProto.segment), which is not supported");
        if (scan.DataType == 0) throw context.Error($"{label} has no data type (TensorProto field 2); not a valid tensor");
        if (scan.DimCount > context.Limits.MaxRank)
            throw context.Error($"{label} has {scan.DimCount} dims, more than the rank limit {context.Limits.MaxRank}");

        reader.Rewind();
        long[] dims = DecodeDims(reader, scan.DimCount);
        var type = (OnnxDataType)scan.DataType;
        if (OnnxTensor.CountElements(label, dims, context.Limits.MaxElementsPerTensor, out long count) is { } dimsProblem)
            throw context.Error(dimsProblem);
        string description = $"{label} {type.ProtoName()} {OnnxTensor.Format(dims)}";

        byte[]? external = null;
        if (scan.DataLocation == DataLocationExternal)
        {
            if (scan.Counts != default) throw context.Error($"{description} has both inline values and data_location EXTERNAL");
            int elementBytes = type.RawElementBytes();
            if (elementBytes == 0) throw context.Error($"{description} is stored externally, which needs a fixed-size element type");
            context.AddTensorBytes(name, count * elementBytes);
            external = OnnxExternalData.Read(context, label, scan.External, count * elementBytes);
        }
        else
        {
            if (scan.DataLocation != 0) throw context.Error($"{description} has unknown data_location {scan.DataLocation}");
            if (scan.External.Count > 0) throw context.Error($"{description} has external_data entries but data_location is not EXTERNAL");
            if (OnnxTensor.StorageProblem(description, type, count, scan.Counts) is { } storageProblem)
                throw context.Error(storageProblem);
            context.AddTensorBytes(name, DataBytes(scan.Counts));
        }

        reader.Rewind();
        return DecodeValues(reader, scan, type, dims, external);
    }

    private sealed record ScanResult(
        string Name, int DataType, bool Segmented, int DataLocation, int DimCount,
        OnnxTensor.StorageCounts Counts, ReadOnlyMemory<byte> Raw, List<(string Key, string Value)> External);

    private static ScanResult Scan(ProtoReader reader)
    {
        string name = "";
        int dataType = 0, location = 0;
        long dimCount = 0, floats = 0, int32s = 0, int64s = 0, doubles = 0, uint64s = 0, strings = 0;
        bool segmented = false;
        ReadOnlyMemory<byte> raw = default;
        var external = new List<(string, string)>();
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case TensorFields.Dims: dimCount += reader.CountRepeated(WireType.Varint, "dims"); break;
                case TensorFields.DataType: dataType = reader.ReadInt32("data_type"); break;
                case TensorFields.Segment: reader.ReadBytes("segment"); segmented = true; break;
                case TensorFields.FloatData: floats += reader.CountRepeated(WireType.Fixed32, "float_data"); break;
                case TensorFields.Int32Data: int32s += reader.CountRepeated(WireType.Varint, "int32_data"); break;
                case TensorFields.StringData: reader.ReadBytes("string_data"); strings++; break;
                case TensorFields.Int64Data: int64s += reader.CountRepeated(WireType.Varint, "int64_data"); break;
                case TensorFields.Name: name = reader.ReadString("name"); break;
                case TensorFields.RawData: raw = reader.ReadBytes("raw_data"); break;
                case TensorFields.DoubleData: doubles += reader.CountRepeated(WireType.Fixed64, "double_data"); break;
                case TensorFields.UInt64Data: uint64s += reader.CountRepeated(WireType.Varint, "uint64_data"); break;
                case TensorFields.ExternalData: external.Add(OnnxModelDecoder.ReadEntry(reader.ReadMessage("external_data", "StringStringEntryProto"))); break;
                case TensorFields.DataLocation: location = reader.ReadInt32("data_location"); break;
                default: reader.SkipField(); break;
            }
        }
        var counts = new OnnxTensor.StorageCounts(floats, int32s, int64s, doubles, uint64s, strings, raw.Length);
        return new ScanResult(name, dataType, segmented, location, (int)Math.Min(dimCount, int.MaxValue), counts, raw, external);
    }

    private static long[] DecodeDims(ProtoReader reader, int dimCount)
    {
        var dims = new long[dimCount];
        int filled = 0;
        while (reader.NextField())
        {
            if (reader.FieldNumber == TensorFields.Dims) reader.FillRepeated(dims, ref filled, WireType.Varint, "dims", s => s.ReadInt64());
            else reader.SkipField();
        }
        return dims;
    }

    /// <summary>Pass 3: the values, into arrays of the sizes the scan counted (and the checks approved).</summary>
    private static OnnxTensor DecodeValues(ProtoReader reader, ScanResult scan, OnnxDataType type, long[] dims, byte[]? external)
    {
        var counts = scan.Counts;
        var floats = new float[counts.FloatData];
        var int32s = new int[counts.Int32Data];
        var int64s = new long[counts.Int64Data];
        var doubles = new double[counts.DoubleData];
        var uint64s = new ulong[counts.UInt64Data];
        var strings = new string[counts.StringData];
        int floatCount = 0, int32Count = 0, int64Count = 0, doubleCount = 0, uint64Count = 0, stringCount = 0;
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case TensorFields.FloatData: reader.FillRepeated(floats, ref floatCount, WireType.Fixed32, "float_data", s => s.ReadFloat()); break;
                case TensorFields.Int32Data: reader.FillRepeated(int32s, ref int32Count, WireType.Varint, "int32_data", s => s.ReadInt32()); break;
                case TensorFields.Int64Data: reader.FillRepeated(int64s, ref int64Count, WireType.Varint, "int64_data", s => s.ReadInt64()); break;
                case TensorFields.DoubleData: reader.FillRepeated(doubles, ref doubleCount, WireType.Fixed64, "double_data", s => s.ReadDouble()); break;
                case TensorFields.UInt64Data: reader.FillRepeated(uint64s, ref uint64Count, WireType.Varint, "uint64_data", s => s.ReadUInt64()); break;
                case TensorFields.StringData: strings[stringCount++] = reader.ReadString("string_data"); break;
                default: reader.SkipField(); break;
            }
        }
        return new OnnxTensor
        {
            Name = scan.Name,
            DataType = type,
            Dims = ValueArray.Own(dims),
            FloatData = ValueArray.Own(floats),
            Int32Data = ValueArray.Own(int32s),
            Int64Data = ValueArray.Own(int64s),
            DoubleData = ValueArray.Own(doubles),
            UInt64Data = ValueArray.Own(uint64s),
            StringData = ValueArray.Own(strings),
            RawData = ValueArray.Own(external ?? scan.Raw.ToArray()),
        };
    }

    /// <summary>Bytes the stored values occupy in memory, for the total-size limit.</summary>
    private static long DataBytes(OnnxTensor.StorageCounts counts) =>
        counts.RawBytes + 4 * (counts[StorageField.FloatData] + counts[StorageField.Int32Data])
        + 8 * (counts[StorageField.Int64Data] + counts[StorageField.DoubleData] + counts[StorageField.UInt64Data])
        + counts[StorageField.StringData];
}
