namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// The one error an ONNX file can cause: malformed protobuf, a message of the wrong kind, data
/// that does not match its declared shape, a limit exceeded, unsafe or missing external data,
/// or the file itself unreadable. The message names the file (or <c>ONNX bytes</c>) and what is wrong.
/// It derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed;
/// handlers that catch file errors as <c>IOException or InvalidDataException</c> catch it too.
/// </summary>
public sealed class OnnxFormatException : IOException
{
    public OnnxFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
