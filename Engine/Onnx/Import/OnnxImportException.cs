namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// A well-formed ONNX model that cannot be imported: unsupported operators (one error names every unsupported
/// operator type and the nodes that use it), a cycle, a value nothing produces, an attribute the engine cannot
/// honour, inconsistent shapes, or a tensor too large for the GPU. The message names the node. Like
/// <see cref="OnnxFormatException"/> (malformed files) it is an <see cref="IOException"/>: the file's content is
/// the problem.
/// </summary>
public sealed class OnnxImportException : IOException
{
    public OnnxImportException(string message, Exception? innerException = null) : base(message, innerException) { }
}
