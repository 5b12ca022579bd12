namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// What every message decoder of one read shares: the whole file in memory, where it came from
/// (for messages and external data), the limits, and running totals checked against them.
/// </summary>
internal sealed class OnnxDecodeContext
{
    public OnnxDecodeContext(byte[] buffer, int offset, int length, string source, string? baseFolder, OnnxReadLimits limits, string expected)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
        Source = source;
        BaseFolder = baseFolder;
        Limits = limits;
        Expected = expected;
    }

    /// <summary>The bytes being parsed; the message spans [<see cref="Offset"/>, Offset + <see cref="Length"/>).</summary>
    public byte[] Buffer { get; }

    public int Offset { get; }

    public int Length { get; }

    /// <summary>File path, or a description such as "ONNX bytes".</summary>
    public string Source { get; }

    /// <summary>Folder that external data locations are relative to and must stay inside; null forbids external data.</summary>
    public string? BaseFolder { get; }

    public OnnxReadLimits Limits { get; }

    /// <summary>"an ONNX model" or "a TensorProto", for "is not ..." messages.</summary>
    public string Expected { get; }

    /// <summary>Where the field being read starts, relative to the start of the file (for error messages).</summary>
    public long FieldStart { get; set; }

    /// <summary>Tensor data bytes seen so far (checked against <see cref="OnnxReadLimits.MaxTotalInitializerBytes"/>).</summary>
    public long TotalTensorBytes { get; private set; }

    /// <summary>Counts <paramref name="bytes"/> of tensor data, refusing the read when the total passes the limit.</summary>
    public void AddTensorBytes(string tensorName, long bytes)
    {
        TotalTensorBytes += bytes;
        if (TotalTensorBytes > Limits.MaxTotalInitializerBytes)
            throw Error($"tensor data reaches {TotalTensorBytes} bytes at tensor '{tensorName}', more than the limit {Limits.MaxTotalInitializerBytes}");
    }

    /// <summary>An error naming the source: "'model.onnx': {what}.".</summary>
    public OnnxFormatException Error(string what, Exception? inner = null) => new($"'{Source}': {what}.", inner);

    /// <summary>An error about the bytes at <see cref="FieldStart"/>.</summary>
    public OnnxFormatException ErrorAtField(string what) => Error($"{what} (at byte {FieldStart})");
}
