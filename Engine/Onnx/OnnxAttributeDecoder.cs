using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Decodes an <c>AttributeProto</c>. Graph, sparse-tensor and type-proto values are skipped
/// without being parsed (so nesting in them costs nothing); their attribute keeps its type.
/// Files from IR version 1, which had no <c>type</c> field, get the type of the value field present.
/// </summary>
internal static class OnnxAttributeDecoder
{
    public static OnnxAttribute Read(ProtoReader reader, string nodeLabel)
    {
        var limits = reader.Context.Limits;
        string name = "", s = "";
        int type = 0;
        var seen = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        OnnxTensor? t = null;
        var floats = new GrowableArray<float>();
        var ints = new GrowableArray<long>();
        var strings = new List<string>();
        var tensors = new List<OnnxTensor>();
        string TooMany() => $"attribute '{name}' of {nodeLabel} has more than {limits.MaxElementsPerTensor} values (the element limit)";
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case AttributeFields.Name: name = reader.ReadString("name"); break;
                case AttributeFields.Type: type = reader.ReadInt32("type"); break;
                case AttributeFields.F: f = reader.ReadFloat("f"); seen = OnnxAttributeType.Float; break;
                case AttributeFields.I: i = reader.ReadInt64("i"); seen = OnnxAttributeType.Int; break;
                case AttributeFields.S: s = reader.ReadString("s"); seen = OnnxAttributeType.String; break;
                case AttributeFields.T:
                    t = OnnxTensorDecoder.Read(reader.ReadMessage("t", "TensorProto"), $"attribute '{name}' of {nodeLabel}");
                    seen = OnnxAttributeType.Tensor;
                    break;
                case AttributeFields.Floats:
                    reader.ReadRepeated(ref floats, WireType.Fixed32, "floats", ReadFloat, limits.MaxElementsPerTensor, TooMany());
                    seen = OnnxAttributeType.Floats;
                    break;
                case AttributeFields.Ints:
                    reader.ReadRepeated(ref ints, WireType.Varint, "ints", ReadInt64, limits.MaxElementsPerTensor, TooMany());
                    seen = OnnxAttributeType.Ints;
                    break;
                case AttributeFields.Strings: strings.Add(reader.ReadString("strings")); seen = OnnxAttributeType.Strings; break;
                case AttributeFields.Tensors:
                    tensors.Add(OnnxTensorDecoder.Read(reader.ReadMessage("tensors", "TensorProto"), $"attribute '{name}' of {nodeLabel}"));
                    seen = OnnxAttributeType.Tensors;
                    break;
                case AttributeFields.G:
                    reader.ReadBytes("g");
                    seen = OnnxAttributeType.Graph;
                    break;
                case AttributeFields.Graphs:
                    reader.ReadBytes("graphs");
                    seen = OnnxAttributeType.Graphs;
                    break;
                default: reader.SkipField(); break;
            }
        }
        return new OnnxAttribute
        {
            Name = name,
            Type = type != 0 ? (OnnxAttributeType)type : seen,
            F = f,
            I = i,
            S = s,
            T = t,
            Floats = floats.ToValueArray(),
            Ints = ints.ToValueArray(),
            Strings = ValueArray.From(strings),
            Tensors = ValueArray.From(tensors),
        };
    }

    private static float ReadFloat(CodedInputStream stream) => stream.ReadFloat();

    private static long ReadInt64(CodedInputStream stream) => stream.ReadInt64();
}
