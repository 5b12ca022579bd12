namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// <c>onnx.ModelProto</c>: the graph plus the versions it needs and who produced it.
/// Read with <see cref="OnnxReader.ReadModel(string, OnnxReadLimits?)"/>, write with <see cref="OnnxWriter.WriteModel"/>.
/// Training info and model-local functions are not kept.
/// </summary>
public sealed record OnnxModel
{
    /// <summary>IR version 8 goes with opsets up to 18 (ONNX 1.13).</summary>
    public long IrVersion { get; init; } = 8;

    /// <summary>Operator sets the nodes bind to; the default domain "" is the ONNX standard.</summary>
    public ValueArray<OnnxOpsetImport> OpsetImports { get; init; }

    public string ProducerName { get; init; } = "";

    public string ProducerVersion { get; init; } = "";

    /// <summary>Reverse-DNS name space of the model (not an operator domain).</summary>
    public string Domain { get; init; } = "";

    public long ModelVersion { get; init; }

    public string DocString { get; init; } = "";

    public required OnnxGraph Graph { get; init; }

    /// <summary>Free-form key/value pairs (<c>metadata_props</c>), e.g. class labels or preprocessing.</summary>
    public ValueArray<OnnxMetadataEntry> Metadata { get; init; }

    /// <summary>The version of the standard ONNX operator set (domain "" or "ai.onnx"), or null if none is imported.</summary>
    public long? DefaultOpsetVersion
    {
        get
        {
            foreach (var opset in OpsetImports)
                if (opset.Domain is "" or "ai.onnx") return opset.Version;
            return null;
        }
    }

    public override string ToString() =>
        $"ONNX model (IR {IrVersion}, opsets {string.Join(", ", OpsetImports)}, producer '{ProducerName} {ProducerVersion}'): {Graph}";
}

/// <summary><c>onnx.OperatorSetIdProto</c>: an operator domain and its version.</summary>
public sealed record OnnxOpsetImport(string Domain, long Version)
{
    public override string ToString() => $"{(Domain.Length == 0 ? "ai.onnx" : Domain)} v{Version}";
}

/// <summary><c>onnx.StringStringEntryProto</c>: one metadata key/value pair.</summary>
public sealed record OnnxMetadataEntry(string Key, string Value);
