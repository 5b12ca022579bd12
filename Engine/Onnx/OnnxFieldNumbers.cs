namespace VisionPlugin.Engine.Onnx;

// Field numbers of the onnx.proto messages this layer reads and writes (onnx/onnx.proto, IR v9).
// Shared by the decoders and the encoder so the two can never disagree.

/// <summary><c>ModelProto</c>.</summary>
internal static class ModelFields
{
    public const int IrVersion = 1;        // int64
    public const int ProducerName = 2;     // string
    public const int ProducerVersion = 3;  // string
    public const int Domain = 4;           // string
    public const int ModelVersion = 5;     // int64
    public const int DocString = 6;        // string
    public const int Graph = 7;            // GraphProto
    public const int OpsetImport = 8;      // repeated OperatorSetIdProto
    public const int MetadataProps = 14;   // repeated StringStringEntryProto
}

/// <summary><c>OperatorSetIdProto</c>.</summary>
internal static class OpsetFields
{
    public const int Domain = 1;   // string
    public const int Version = 2;  // int64
}

/// <summary><c>StringStringEntryProto</c> (metadata and external-data entries).</summary>
internal static class EntryFields
{
    public const int Key = 1;
    public const int Value = 2;
}

/// <summary><c>GraphProto</c>.</summary>
internal static class GraphFields
{
    public const int Node = 1;          // repeated NodeProto
    public const int Name = 2;          // string
    public const int Initializer = 5;   // repeated TensorProto
    public const int Input = 11;        // repeated ValueInfoProto
    public const int Output = 12;       // repeated ValueInfoProto
    public const int ValueInfo = 13;    // repeated ValueInfoProto
    public const int SparseInitializer = 15; // repeated SparseTensorProto (refused)
}

/// <summary><c>NodeProto</c>.</summary>
internal static class NodeFields
{
    public const int Input = 1;      // repeated string
    public const int Output = 2;     // repeated string
    public const int Name = 3;       // string
    public const int OpType = 4;     // string
    public const int Attribute = 5;  // repeated AttributeProto
    public const int Domain = 7;     // string
}

/// <summary><c>AttributeProto</c>.</summary>
internal static class AttributeFields
{
    public const int Name = 1;      // string
    public const int F = 2;         // float
    public const int I = 3;         // int64
    public const int S = 4;         // bytes
    public const int T = 5;         // TensorProto
    public const int G = 6;         // GraphProto (skipped)
    public const int Floats = 7;    // repeated float
    public const int Ints = 8;      // repeated int64
    public const int Strings = 9;   // repeated bytes
    public const int Tensors = 10;  // repeated TensorProto
    public const int Graphs = 11;   // repeated GraphProto (skipped)
    public const int Type = 20;     // AttributeType enum
}

/// <summary><c>ValueInfoProto</c>, <c>TypeProto</c>, <c>TypeProto.Tensor</c>, <c>TensorShapeProto</c>.</summary>
internal static class ValueInfoFields
{
    public const int Name = 1;            // ValueInfoProto.name
    public const int Type = 2;            // ValueInfoProto.type: TypeProto
    public const int TensorType = 1;      // TypeProto.tensor_type: TypeProto.Tensor
    public const int ElemType = 1;        // TypeProto.Tensor.elem_type: int32
    public const int Shape = 2;           // TypeProto.Tensor.shape: TensorShapeProto
    public const int Dim = 1;             // TensorShapeProto.dim: repeated Dimension
    public const int DimValue = 1;        // Dimension.dim_value: int64
    public const int DimParam = 2;        // Dimension.dim_param: string
}

/// <summary><c>TensorProto</c>.</summary>
internal static class TensorFields
{
    public const int Dims = 1;          // repeated int64
    public const int DataType = 2;      // int32
    public const int Segment = 3;       // Segment (refused)
    public const int FloatData = 4;     // repeated float, packed
    public const int Int32Data = 5;     // repeated int32, packed
    public const int StringData = 6;    // repeated bytes
    public const int Int64Data = 7;     // repeated int64, packed
    public const int Name = 8;          // string
    public const int RawData = 9;       // bytes
    public const int DoubleData = 10;   // repeated double, packed
    public const int UInt64Data = 11;   // repeated uint64, packed
    public const int ExternalData = 13; // repeated StringStringEntryProto
    public const int DataLocation = 14; // enum: 0 DEFAULT, 1 EXTERNAL
}
