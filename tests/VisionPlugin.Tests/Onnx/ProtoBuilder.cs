using System.Text;

namespace VisionPlugin.Tests.Onnx;

/// <summary>
/// Writes protobuf wire format by hand (independently of Google.Protobuf), to build the odd and
/// hostile files the ONNX writer would never produce: wrong wire types, lying lengths, deep groups,
/// external-data references.
/// </summary>
internal sealed class ProtoBuilder
{
    private readonly List<byte> _bytes = [];

    public ProtoBuilder Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    public ProtoBuilder Varint(ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            _bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        return this;
    }

    public ProtoBuilder Int(int field, long value) => Tag(field, 0).Varint((ulong)value);

    public ProtoBuilder Float(int field, float value) => Tag(field, 5).Raw(BitConverter.GetBytes(value));

    public ProtoBuilder Bytes(int field, byte[] payload) => Tag(field, 2).Varint((ulong)payload.Length).Raw(payload);

    public ProtoBuilder String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBuilder Message(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    public ProtoBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    // ---- ONNX shapes used by several tests (field numbers from onnx.proto) ----

    /// <summary>A FLOAT TensorProto: dims (1), data_type (2), name (8), raw_data (9).</summary>
    public static ProtoBuilder FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoBuilder();
        foreach (long d in dims) tensor.Int(1, d);
        tensor.Int(2, 1).String(8, name);
        byte[] raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return tensor.Bytes(9, raw);
    }

    /// <summary>A FLOAT TensorProto whose data is external: external_data (13) entries, data_location (14) = EXTERNAL.</summary>
    public static ProtoBuilder ExternalTensor(string name, long[] dims, string location, long? offset = null, long? length = null)
    {
        var tensor = new ProtoBuilder();
        foreach (long d in dims) tensor.Int(1, d);
        tensor.Int(2, 1).String(8, name);
        tensor.Message(13, new ProtoBuilder().String(1, "location").String(2, location));
        if (offset is { } o) tensor.Message(13, new ProtoBuilder().String(1, "offset").String(2, o.ToString()));
        if (length is { } l) tensor.Message(13, new ProtoBuilder().String(1, "length").String(2, l.ToString()));
        return tensor.Int(14, 1);
    }

    /// <summary>ModelProto { ir_version 8, opset 13, graph { node Relu x->y, initializers, input x } }.</summary>
    public static ProtoBuilder Model(params ProtoBuilder[] initializers)
    {
        var graph = new ProtoBuilder()
            .Message(1, new ProtoBuilder().String(1, "x").String(2, "y").String(4, "Relu"))
            .String(2, "g");
        foreach (var initializer in initializers) graph.Message(5, initializer);
        graph.Message(11, new ProtoBuilder().String(1, "x"));
        return new ProtoBuilder().Int(1, 8).Message(7, graph).Message(8, new ProtoBuilder().Int(2, 13));
    }
}
