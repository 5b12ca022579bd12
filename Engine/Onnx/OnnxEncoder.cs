using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Serializes the records with the field numbers of onnx.proto, in one pass straight to the
/// output: each message's size is computed first (cheap, no data is copied) so its length prefix
/// can be written before it. Repeated dims and attribute lists are written unpacked and tensor
/// data packed, as onnx.proto declares them. Value fields are written whenever they are set, and
/// always for the one an attribute's type selects, so every reader (and the ONNX checker) sees them.
/// </summary>
internal static class OnnxEncoder
{
    // ---- ModelProto ----
    public static long ModelSize(OnnxModel m) =>
        Int64Size(ModelFields.IrVersion, m.IrVersion) + StringSize(ModelFields.ProducerName, m.ProducerName)
        + StringSize(ModelFields.ProducerVersion, m.ProducerVersion) + StringSize(ModelFields.Domain, m.Domain)
        + (m.ModelVersion != 0 ? Int64Size(ModelFields.ModelVersion, m.ModelVersion) : 0) + StringSize(ModelFields.DocString, m.DocString)
        + MessageSize(ModelFields.Graph, GraphSize(m.Graph))
        + Sum(m.OpsetImports, o => MessageSize(ModelFields.OpsetImport, OpsetSize(o)))
        + Sum(m.Metadata, e => MessageSize(ModelFields.MetadataProps, EntrySize(e.Key, e.Value)));

    public static void WriteModel(CodedOutputStream o, OnnxModel m)
    {
        WriteInt64(o, ModelFields.IrVersion, m.IrVersion);
        WriteString(o, ModelFields.ProducerName, m.ProducerName);
        WriteString(o, ModelFields.ProducerVersion, m.ProducerVersion);
        WriteString(o, ModelFields.Domain, m.Domain);
        if (m.ModelVersion != 0) WriteInt64(o, ModelFields.ModelVersion, m.ModelVersion);
        WriteString(o, ModelFields.DocString, m.DocString);
        StartMessage(o, ModelFields.Graph, GraphSize(m.Graph));
        WriteGraph(o, m.Graph);
        foreach (var opset in m.OpsetImports)
        {
            StartMessage(o, ModelFields.OpsetImport, OpsetSize(opset));
            WriteString(o, OpsetFields.Domain, opset.Domain);
            WriteInt64(o, OpsetFields.Version, opset.Version);
        }
        foreach (var entry in m.Metadata)
        {
            StartMessage(o, ModelFields.MetadataProps, EntrySize(entry.Key, entry.Value));
            WriteEntry(o, entry.Key, entry.Value);
        }
    }

    private static long OpsetSize(OnnxOpsetImport o) => StringSize(OpsetFields.Domain, o.Domain) + Int64Size(OpsetFields.Version, o.Version);

    private static long EntrySize(string key, string value) => StringSize(EntryFields.Key, key) + StringSize(EntryFields.Value, value);

    private static void WriteEntry(CodedOutputStream o, string key, string value)
    {
        WriteString(o, EntryFields.Key, key);
        WriteString(o, EntryFields.Value, value);
    }

    // ---- GraphProto ----
    private static long GraphSize(OnnxGraph g) =>
        Sum(g.Nodes, n => MessageSize(GraphFields.Node, NodeSize(n))) + StringSize(GraphFields.Name, g.Name, always: true)
        + Sum(g.Initializers, t => MessageSize(GraphFields.Initializer, TensorSize(t)))
        + Sum(g.Inputs, v => MessageSize(GraphFields.Input, ValueInfoSize(v)))
        + Sum(g.Outputs, v => MessageSize(GraphFields.Output, ValueInfoSize(v)))
        + Sum(g.ValueInfo, v => MessageSize(GraphFields.ValueInfo, ValueInfoSize(v)));

    private static void WriteGraph(CodedOutputStream o, OnnxGraph g)
    {
        foreach (var node in g.Nodes) { StartMessage(o, GraphFields.Node, NodeSize(node)); WriteNode(o, node); }
        WriteString(o, GraphFields.Name, g.Name, always: true);
        foreach (var t in g.Initializers) { StartMessage(o, GraphFields.Initializer, TensorSize(t)); WriteTensor(o, t); }
        foreach (var v in g.Inputs) { StartMessage(o, GraphFields.Input, ValueInfoSize(v)); WriteValueInfo(o, v); }
        foreach (var v in g.Outputs) { StartMessage(o, GraphFields.Output, ValueInfoSize(v)); WriteValueInfo(o, v); }
        foreach (var v in g.ValueInfo) { StartMessage(o, GraphFields.ValueInfo, ValueInfoSize(v)); WriteValueInfo(o, v); }
    }

    // ---- NodeProto ----
    private static long NodeSize(OnnxNode n) =>
        Sum(n.Inputs, s => StringSize(NodeFields.Input, s, always: true)) + Sum(n.Outputs, s => StringSize(NodeFields.Output, s, always: true))
        + StringSize(NodeFields.Name, n.Name) + StringSize(NodeFields.OpType, n.OpType, always: true)
        + Sum(n.Attributes, a => MessageSize(NodeFields.Attribute, AttributeSize(a))) + StringSize(NodeFields.Domain, n.Domain);

    private static void WriteNode(CodedOutputStream o, OnnxNode n)
    {
        foreach (string input in n.Inputs) WriteString(o, NodeFields.Input, input, always: true);
        foreach (string output in n.Outputs) WriteString(o, NodeFields.Output, output, always: true);
        WriteString(o, NodeFields.Name, n.Name);
        WriteString(o, NodeFields.OpType, n.OpType, always: true);
        foreach (var a in n.Attributes) { StartMessage(o, NodeFields.Attribute, AttributeSize(a)); WriteAttribute(o, a); }
        WriteString(o, NodeFields.Domain, n.Domain);
    }

    // ---- AttributeProto ----
    private static long AttributeSize(OnnxAttribute a) =>
        StringSize(AttributeFields.Name, a.Name, always: true)
        + (a.Type == OnnxAttributeType.Float || a.F != 0 ? TagSize(AttributeFields.F) + 4 : 0)
        + (a.Type == OnnxAttributeType.Int || a.I != 0 ? Int64Size(AttributeFields.I, a.I) : 0)
        + StringSize(AttributeFields.S, a.S, always: a.Type == OnnxAttributeType.String)
        + (a.T is { } t ? MessageSize(AttributeFields.T, TensorSize(t)) : 0)
        + a.Floats.Count * (TagSize(AttributeFields.Floats) + 4L)
        + Sum(a.Ints, i => Int64Size(AttributeFields.Ints, i))
        + Sum(a.Strings, s => StringSize(AttributeFields.Strings, s, always: true))
        + Sum(a.Tensors, t => MessageSize(AttributeFields.Tensors, TensorSize(t)))
        + (a.Type != OnnxAttributeType.Undefined ? Int64Size(AttributeFields.Type, (long)a.Type) : 0);

    private static void WriteAttribute(CodedOutputStream o, OnnxAttribute a)
    {
        WriteString(o, AttributeFields.Name, a.Name, always: true);
        if (a.Type == OnnxAttributeType.Float || a.F != 0) { o.WriteTag(AttributeFields.F, WireType.Fixed32); o.WriteFloat(a.F); }
        if (a.Type == OnnxAttributeType.Int || a.I != 0) WriteInt64(o, AttributeFields.I, a.I);
        WriteString(o, AttributeFields.S, a.S, always: a.Type == OnnxAttributeType.String);
        if (a.T is { } tensor) { StartMessage(o, AttributeFields.T, TensorSize(tensor)); WriteTensor(o, tensor); }
        foreach (float f in a.Floats) { o.WriteTag(AttributeFields.Floats, WireType.Fixed32); o.WriteFloat(f); }
        foreach (long i in a.Ints) WriteInt64(o, AttributeFields.Ints, i);
        foreach (string s in a.Strings) WriteString(o, AttributeFields.Strings, s, always: true);
        foreach (var t in a.Tensors) { StartMessage(o, AttributeFields.Tensors, TensorSize(t)); WriteTensor(o, t); }
        if (a.Type != OnnxAttributeType.Undefined) WriteInt64(o, AttributeFields.Type, (long)a.Type);
    }

    // ---- ValueInfoProto > TypeProto > TypeProto.Tensor > TensorShapeProto > Dimension ----
    private static long ValueInfoSize(OnnxValueInfo v) =>
        StringSize(ValueInfoFields.Name, v.Name, always: true) + (HasType(v) ? MessageSize(ValueInfoFields.Type, TypeSize(v)) : 0);

    private static bool HasType(OnnxValueInfo v) => v.ElementType != OnnxDataType.Undefined || v.Shape is not null;

    private static long TypeSize(OnnxValueInfo v) => MessageSize(ValueInfoFields.TensorType, TensorTypeSize(v));

    private static long TensorTypeSize(OnnxValueInfo v) =>
        (v.ElementType != OnnxDataType.Undefined ? Int64Size(ValueInfoFields.ElemType, (long)v.ElementType) : 0)
        + (v.Shape is { } shape ? MessageSize(ValueInfoFields.Shape, ShapeSize(shape)) : 0);

    private static long ShapeSize(ValueArray<OnnxDimension> shape) => Sum(shape, d => MessageSize(ValueInfoFields.Dim, DimensionSize(d)));

    private static long DimensionSize(OnnxDimension d) =>
        d.Value is { } value ? Int64Size(ValueInfoFields.DimValue, value) : d.Param is { } param ? StringSize(ValueInfoFields.DimParam, param, always: true) : 0;

    private static void WriteValueInfo(CodedOutputStream o, OnnxValueInfo v)
    {
        WriteString(o, ValueInfoFields.Name, v.Name, always: true);
        if (!HasType(v)) return;
        StartMessage(o, ValueInfoFields.Type, TypeSize(v));
        StartMessage(o, ValueInfoFields.TensorType, TensorTypeSize(v));
        if (v.ElementType != OnnxDataType.Undefined) WriteInt64(o, ValueInfoFields.ElemType, (long)v.ElementType);
        if (v.Shape is not { } shape) return;
        StartMessage(o, ValueInfoFields.Shape, ShapeSize(shape));
        foreach (var d in shape)
        {
            StartMessage(o, ValueInfoFields.Dim, DimensionSize(d));
            if (d.Value is { } value) WriteInt64(o, ValueInfoFields.DimValue, value);
            else if (d.Param is { } param) WriteString(o, ValueInfoFields.DimParam, param, always: true);
        }
    }

    // ---- TensorProto ----
    public static long TensorSize(OnnxTensor t) =>
        Sum(t.Dims, d => Int64Size(TensorFields.Dims, d)) + Int64Size(TensorFields.DataType, (long)t.DataType)
        + PackedSize(TensorFields.FloatData, 4L * t.FloatData.Count)
        + PackedSize(TensorFields.Int32Data, Sum(t.Int32Data, v => (long)CodedOutputStream.ComputeInt32Size(v)))
        + Sum(t.StringData, s => StringSize(TensorFields.StringData, s, always: true))
        + PackedSize(TensorFields.Int64Data, Sum(t.Int64Data, v => (long)CodedOutputStream.ComputeInt64Size(v)))
        + StringSize(TensorFields.Name, t.Name)
        + (t.RawData.Count > 0 ? MessageSize(TensorFields.RawData, t.RawData.Count) : 0)
        + PackedSize(TensorFields.DoubleData, 8L * t.DoubleData.Count)
        + PackedSize(TensorFields.UInt64Data, Sum(t.UInt64Data, v => (long)CodedOutputStream.ComputeUInt64Size(v)));

    public static void WriteTensor(CodedOutputStream o, OnnxTensor t)
    {
        foreach (long d in t.Dims) WriteInt64(o, TensorFields.Dims, d);
        WriteInt64(o, TensorFields.DataType, (long)t.DataType);
        if (StartPacked(o, TensorFields.FloatData, 4L * t.FloatData.Count)) foreach (float v in t.FloatData) o.WriteFloat(v);
        if (StartPacked(o, TensorFields.Int32Data, Sum(t.Int32Data, v => (long)CodedOutputStream.ComputeInt32Size(v)))) foreach (int v in t.Int32Data) o.WriteInt32(v);
        foreach (string s in t.StringData) WriteString(o, TensorFields.StringData, s, always: true);
        if (StartPacked(o, TensorFields.Int64Data, Sum(t.Int64Data, v => (long)CodedOutputStream.ComputeInt64Size(v)))) foreach (long v in t.Int64Data) o.WriteInt64(v);
        WriteString(o, TensorFields.Name, t.Name);
        if (t.RawData.Count > 0)
        {
            o.WriteTag(TensorFields.RawData, WireType.LengthDelimited);
            o.WriteBytes(UnsafeByteOperations.UnsafeWrap(t.RawData.AsMemory())); // length + bytes, no copy
        }
        if (StartPacked(o, TensorFields.DoubleData, 8L * t.DoubleData.Count)) foreach (double v in t.DoubleData) o.WriteDouble(v);
        if (StartPacked(o, TensorFields.UInt64Data, Sum(t.UInt64Data, v => (long)CodedOutputStream.ComputeUInt64Size(v)))) foreach (ulong v in t.UInt64Data) o.WriteUInt64(v);
    }

    // ---- wire helpers ----
    private static long TagSize(int field) => CodedOutputStream.ComputeTagSize(field);

    private static long Int64Size(int field, long value) => TagSize(field) + CodedOutputStream.ComputeInt64Size(value);

    private static long StringSize(int field, string value, bool always = false) =>
        value.Length == 0 && !always ? 0 : TagSize(field) + CodedOutputStream.ComputeStringSize(value);

    private static long MessageSize(int field, long size) => TagSize(field) + CodedOutputStream.ComputeRawVarint64Size((ulong)size) + size;

    private static long PackedSize(int field, long payload) => payload == 0 ? 0 : MessageSize(field, payload);

    private static long Sum<T>(ValueArray<T> items, Func<T, long> size)
    {
        long total = 0;
        foreach (var item in items) total += size(item);
        return total;
    }

    private static void WriteInt64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireType.Varint);
        o.WriteInt64(value);
    }

    private static void WriteString(CodedOutputStream o, int field, string value, bool always = false)
    {
        if (value.Length == 0 && !always) return;
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void StartMessage(CodedOutputStream o, int field, long size)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteLength(checked((int)size));
    }

    private static bool StartPacked(CodedOutputStream o, int field, long payload)
    {
        if (payload == 0) return false;
        StartMessage(o, field, payload);
        return true;
    }
}
