using static Google.Protobuf.WireFormat;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Decodes <c>ModelProto</c>, <c>GraphProto</c>, <c>NodeProto</c>, <c>AttributeProto</c> and
/// <c>ValueInfoProto</c> with the field numbers of onnx.proto (see <see cref="ModelFields"/> and
/// its siblings). Fields this layer does not model are skipped; sparse initializers are refused
/// because an importer could not run the graph without them.
/// </summary>
internal static class OnnxModelDecoder
{
    public static OnnxModel ReadModel(ProtoReader reader)
    {
        var context = reader.Context;
        long irVersion = 0, modelVersion = 0;
        string producerName = "", producerVersion = "", domain = "", docString = "";
        OnnxGraph? graph = null;
        var opsets = new List<OnnxOpsetImport>();
        var metadata = new List<OnnxMetadataEntry>();
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case ModelFields.IrVersion: irVersion = reader.ReadInt64("ir_version"); break;
                case ModelFields.ProducerName: producerName = reader.ReadString("producer_name"); break;
                case ModelFields.ProducerVersion: producerVersion = reader.ReadString("producer_version"); break;
                case ModelFields.Domain: domain = reader.ReadString("domain"); break;
                case ModelFields.ModelVersion: modelVersion = reader.ReadInt64("model_version"); break;
                case ModelFields.DocString: docString = reader.ReadString("doc_string"); break;
                case ModelFields.Graph: graph = ReadGraph(reader.ReadMessage("graph", "GraphProto")); break;
                case ModelFields.OpsetImport: opsets.Add(ReadOpset(reader.ReadMessage("opset_import", "OperatorSetIdProto"))); break;
                case ModelFields.MetadataProps:
                    var (key, value) = ReadEntry(reader.ReadMessage("metadata_props", "StringStringEntryProto"));
                    metadata.Add(new OnnxMetadataEntry(key, value));
                    break;
                default: reader.SkipField(); break;
            }
        }
        if (graph is null) throw context.Error($"not {context.Expected}: it has no graph (ModelProto field {ModelFields.Graph})");
        return new OnnxModel
        {
            IrVersion = irVersion,
            OpsetImports = ValueArray.From(opsets),
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            Domain = domain,
            ModelVersion = modelVersion,
            DocString = docString,
            Graph = graph,
            Metadata = ValueArray.From(metadata),
        };
    }

    private static OnnxOpsetImport ReadOpset(ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case OpsetFields.Domain: domain = reader.ReadString("domain"); break;
                case OpsetFields.Version: version = reader.ReadInt64("version"); break;
                default: reader.SkipField(); break;
            }
        }
        return new OnnxOpsetImport(domain, version);
    }

    /// <summary>A <c>StringStringEntryProto</c> (metadata, external-data entries).</summary>
    public static (string Key, string Value) ReadEntry(ProtoReader reader)
    {
        string key = "", value = "";
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case EntryFields.Key: key = reader.ReadString("key"); break;
                case EntryFields.Value: value = reader.ReadString("value"); break;
                default: reader.SkipField(); break;
            }
        }
        return (key, value);
    }

    private static OnnxGraph ReadGraph(ProtoReader reader)
    {
        var context = reader.Context;
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var valueInfo = new List<OnnxValueInfo>();
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case GraphFields.Node:
                    if (nodes.Count >= context.Limits.MaxNodes)
                        throw context.ErrorAtField($"the graph has more than {context.Limits.MaxNodes} nodes (the node limit)");
                    nodes.Add(ReadNode(reader.ReadMessage("node", "NodeProto"), nodes.Count));
                    break;
                case GraphFields.Name: name = reader.ReadString("name"); break;
                case GraphFields.Initializer:
                    initializers.Add(OnnxTensorDecoder.Read(reader.ReadMessage("initializer", "TensorProto"), $"initializer #{initializers.Count}"));
                    break;
                case GraphFields.Input: inputs.Add(ReadValueInfo(reader.ReadMessage("input", "ValueInfoProto"))); break;
                case GraphFields.Output: outputs.Add(ReadValueInfo(reader.ReadMessage("output", "ValueInfoProto"))); break;
                case GraphFields.ValueInfo: valueInfo.Add(ReadValueInfo(reader.ReadMessage("value_info", "ValueInfoProto"))); break;
                case GraphFields.SparseInitializer:
                    throw context.ErrorAtField("the graph has a sparse initializer (GraphProto.sparse_initializer), which is not supported");
                default: reader.SkipField(); break;
            }
        }
        return new OnnxGraph(name, ValueArray.From(nodes), ValueArray.From(initializers),
            ValueArray.From(inputs), ValueArray.From(outputs), ValueArray.From(valueInfo));
    }

    private static OnnxNode ReadNode(ProtoReader reader, int index)
    {
        string name = "", opType = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case NodeFields.Input: inputs.Add(reader.ReadString("input")); break;
                case NodeFields.Output: outputs.Add(reader.ReadString("output")); break;
                case NodeFields.Name: name = reader.ReadString("name"); break;
                case NodeFields.OpType: opType = reader.ReadString("op_type"); break;
                case NodeFields.Domain: domain = reader.ReadString("domain"); break;
                case NodeFields.Attribute:
                    attributes.Add(OnnxAttributeDecoder.Read(reader.ReadMessage("attribute", "AttributeProto"), $"node #{index}"));
                    break;
                default: reader.SkipField(); break;
            }
        }
        string label = name.Length > 0 ? $"node '{name}'" : $"node #{index}";
        if (opType.Length == 0) throw reader.Context.Error($"{label} has no op_type");
        foreach (var attribute in attributes)
            if (attribute.Name.Length == 0) throw reader.Context.Error($"{label} ({opType}) has an attribute with no name");
        return new OnnxNode(name, opType, domain, ValueArray.From(inputs), ValueArray.From(outputs), ValueArray.From(attributes));
    }

    private static OnnxValueInfo ReadValueInfo(ProtoReader reader)
    {
        string name = "";
        var elementType = OnnxDataType.Undefined;
        ValueArray<OnnxDimension>? shape = null;
        while (reader.NextField())
        {
            switch (reader.FieldNumber)
            {
                case ValueInfoFields.Name: name = reader.ReadString("name"); break;
                case ValueInfoFields.Type: (elementType, shape) = ReadType(reader.ReadMessage("type", "TypeProto"), name); break;
                default: reader.SkipField(); break;
            }
        }
        return new OnnxValueInfo(name, elementType, shape);
    }

    /// <summary><c>TypeProto</c>: only <c>tensor_type</c> is kept; sequences, maps and optionals read as undefined.</summary>
    private static (OnnxDataType, ValueArray<OnnxDimension>?) ReadType(ProtoReader reader, string valueName)
    {
        var elementType = OnnxDataType.Undefined;
        ValueArray<OnnxDimension>? shape = null;
        while (reader.NextField())
        {
            if (reader.FieldNumber != ValueInfoFields.TensorType) { reader.SkipField(); continue; }
            var tensorType = reader.ReadMessage("tensor_type", "TypeProto.Tensor");
            while (tensorType.NextField())
            {
                switch (tensorType.FieldNumber)
                {
                    case ValueInfoFields.ElemType: elementType = (OnnxDataType)tensorType.ReadInt32("elem_type"); break;
                    case ValueInfoFields.Shape: shape = ReadShape(tensorType.ReadMessage("shape", "TensorShapeProto"), valueName); break;
                    default: tensorType.SkipField(); break;
                }
            }
        }
        return (elementType, shape);
    }

    private static ValueArray<OnnxDimension> ReadShape(ProtoReader reader, string valueName)
    {
        var dims = new List<OnnxDimension>();
        while (reader.NextField())
        {
            if (reader.FieldNumber != ValueInfoFields.Dim) { reader.SkipField(); continue; }
            if (dims.Count >= reader.Context.Limits.MaxRank)
                throw reader.Context.ErrorAtField($"value '{valueName}' has more than {reader.Context.Limits.MaxRank} dims (the rank limit)");
            var dim = reader.ReadMessage("dim", "TensorShapeProto.Dimension");
            long? value = null;
            string? param = null;
            while (dim.NextField())
            {
                switch (dim.FieldNumber)
                {
                    case ValueInfoFields.DimValue: value = dim.ReadInt64("dim_value"); param = null; break;
                    case ValueInfoFields.DimParam: param = dim.ReadString("dim_param"); value = null; break;
                    default: dim.SkipField(); break;
                }
            }
            dims.Add(new OnnxDimension(value, param));
        }
        return ValueArray.From(dims);
    }
}
