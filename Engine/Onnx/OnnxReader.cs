using System.Runtime.InteropServices;
using Google.Protobuf;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Reads ONNX models (<c>ModelProto</c>, .onnx files) and serialized tensors (<c>TensorProto</c>,
/// the input_N.pb / output_N.pb files of the ONNX test data) into immutable records. Every problem
/// with the file — unreadable, empty, truncated, not ONNX, over a limit, unsafe external data — is
/// an <see cref="OnnxFormatException"/> naming the file and what is wrong; no other exception
/// type escapes for bad input.
/// </summary>
public static class OnnxReader
{
    private const string Model = "an ONNX model";
    private const string Tensor = "a TensorProto";

    /// <summary>Reads a model; external tensor data is looked up next to it.</summary>
    public static OnnxModel ReadModel(string path, OnnxReadLimits? limits = null)
    {
        limits ??= OnnxReadLimits.Default;
        byte[] bytes = ReadFile(path, limits, Model);
        return Parse(bytes, path, FolderOf(path), limits, Model, "ModelProto", OnnxModelDecoder.ReadModel);
    }

    /// <summary>Reads a model held in memory; <paramref name="baseFolder"/> resolves external data (null forbids it).</summary>
    public static OnnxModel ReadModel(ReadOnlyMemory<byte> bytes, string? baseFolder, OnnxReadLimits? limits = null)
    {
        limits ??= OnnxReadLimits.Default;
        return Parse(CheckSize(bytes, limits, Model), "ONNX bytes", baseFolder, limits, Model, "ModelProto", OnnxModelDecoder.ReadModel);
    }

    /// <summary>Reads a file holding one serialized <c>TensorProto</c> (e.g. <c>test_data_set_0/input_0.pb</c>).</summary>
    public static OnnxTensor ReadTensor(string path, OnnxReadLimits? limits = null)
    {
        limits ??= OnnxReadLimits.Default;
        byte[] bytes = ReadFile(path, limits, Tensor);
        return Parse(bytes, path, FolderOf(path), limits, Tensor, "TensorProto", ReadRootTensor);
    }

    /// <summary>Reads one serialized <c>TensorProto</c> held in memory.</summary>
    public static OnnxTensor ReadTensor(ReadOnlyMemory<byte> bytes, string? baseFolder = null, OnnxReadLimits? limits = null)
    {
        limits ??= OnnxReadLimits.Default;
        return Parse(CheckSize(bytes, limits, Tensor), "TensorProto bytes", baseFolder, limits, Tensor, "TensorProto", ReadRootTensor);
    }

    private static OnnxTensor ReadRootTensor(ProtoReader reader) => OnnxTensorDecoder.Read(reader, "the file");

    private static string? FolderOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path));

    /// <summary>The whole file, after checking it exists and is within the size limit (so a huge file is never loaded).</summary>
    private static byte[] ReadFile(string path, OnnxReadLimits limits, string expected)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new OnnxFormatException(Directory.Exists(path) ? $"'{path}': is a folder, not {expected} file." : $"'{path}': file not found.");
            if (info.Length > limits.MaxFileBytes)
                throw new OnnxFormatException($"'{path}': the file is {info.Length} bytes, more than the limit {limits.MaxFileBytes}.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long length = stream.Length;
            if (length > limits.MaxFileBytes)
                throw new OnnxFormatException($"'{path}': the file is {length} bytes, more than the limit {limits.MaxFileBytes}.");
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is (IOException and not OnnxFormatException) or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OnnxFormatException($"'{path}': cannot read the file ({e.Message}).", e);
        }
    }

    private static ArraySegment<byte> CheckSize(ReadOnlyMemory<byte> bytes, OnnxReadLimits limits, string expected)
    {
        if (bytes.Length > limits.MaxFileBytes)
            throw new OnnxFormatException($"{expected} of {bytes.Length} bytes is more than the limit {limits.MaxFileBytes}.");
        return MemoryMarshal.TryGetArray(bytes, out var segment) ? segment : new ArraySegment<byte>(bytes.ToArray());
    }

    private static T Parse<T>(ArraySegment<byte> bytes, string source, string? baseFolder, OnnxReadLimits limits,
        string expected, string rootMessage, Func<ProtoReader, T> decode)
    {
        if (bytes.Count == 0) throw new OnnxFormatException($"'{source}': empty (0 bytes), not {expected}.");
        var context = new OnnxDecodeContext(bytes.Array!, bytes.Offset, bytes.Count, source, baseFolder, limits, expected);
        try
        {
            return decode(new ProtoReader(context, bytes.Offset, bytes.Count, 0, rootMessage));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw context.Error($"truncated or not {expected} (protobuf parse failed at byte {context.FieldStart}: {e.Message})", e);
        }
        catch (OverflowException e)
        {
            throw context.Error($"a value overflows at byte {context.FieldStart} ({e.Message})", e);
        }
        catch (Exception e) when (e is (IOException and not OnnxFormatException) or UnauthorizedAccessException)
        {
            throw context.Error($"cannot read external data ({e.Message})", e);
        }
    }
}
