namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// A layer of the model has no ONNX (opset <see cref="OnnxExporter.OpsetVersion"/>) equivalent, or uses an option the
/// standard operator does not have. The message names the layer, its type and what is missing; nothing is written.
/// </summary>
public sealed class OnnxExportException : InvalidOperationException
{
    public OnnxExportException(string layerName, string layerType, string reason)
        : base($"Cannot export layer '{layerName}' ({layerType}) to ONNX opset {OnnxExporter.OpsetVersion}: {reason}")
    {
        LayerName = layerName;
        LayerType = layerType;
    }

    /// <summary>The layer's name in the model.</summary>
    public string LayerName { get; }

    /// <summary>The layer's class name, e.g. <c>LpPool2dLayer</c>.</summary>
    public string LayerType { get; }
}
