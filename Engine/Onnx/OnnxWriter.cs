using Google.Protobuf;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Writes models and tensors as ONNX protobuf files that <see cref="OnnxReader"/> (and ONNX Runtime,
/// the ONNX checker...) read back: <c>OnnxReader.ReadModel(path)</c> after <c>WriteModel(model, path)</c>
/// equals <c>model</c>. Files are replaced atomically: a temporary file in the same folder is written,
/// flushed to disk and renamed over the target, so a crash never leaves half a model behind.
/// All tensor data is written inline (no external data), so one file may hold at most 2 GiB.
/// </summary>
public static class OnnxWriter
{
    /// <summary>Largest message protobuf can read back (2 GiB - 1).</summary>
    private const long MaxMessageBytes = int.MaxValue;

    /// <exception cref="OnnxFormatException">A tensor's data does not match its dims, or the model exceeds 2 GiB.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names it).</exception>
    public static void WriteModel(OnnxModel model, string path)
    {
        long size = CheckModel(model);
        WriteAtomically(path, size, output => OnnxEncoder.WriteModel(output, model));
    }

    /// <summary>Writes one <c>TensorProto</c>, the format of the ONNX test data's input_N.pb / output_N.pb.</summary>
    public static void WriteTensor(OnnxTensor tensor, string path)
    {
        long size = CheckTensor(tensor);
        WriteAtomically(path, size, output => OnnxEncoder.WriteTensor(output, tensor));
    }

    /// <summary>The serialized model, for callers that keep it in memory.</summary>
    public static byte[] ToBytes(OnnxModel model) => Serialize(CheckModel(model), output => OnnxEncoder.WriteModel(output, model));

    /// <summary>The serialized tensor.</summary>
    public static byte[] ToBytes(OnnxTensor tensor) => Serialize(CheckTensor(tensor), output => OnnxEncoder.WriteTensor(output, tensor));

    private static long CheckModel(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var tensor in model.Graph.Initializers) CheckStorage(tensor);
        foreach (var node in model.Graph.Nodes)
            foreach (var attribute in node.Attributes)
            {
                if (attribute.T is { } t) CheckStorage(t);
                foreach (var item in attribute.Tensors) CheckStorage(item);
            }
        return CheckSize(OnnxEncoder.ModelSize(model), "model");
    }

    private static long CheckTensor(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckStorage(tensor);
        return CheckSize(OnnxEncoder.TensorSize(tensor), tensor.ToString());
    }

    private static void CheckStorage(OnnxTensor tensor)
    {
        if (tensor.StorageProblem() is { } problem) throw new OnnxFormatException($"Cannot write {problem}.");
    }

    private static long CheckSize(long size, string what) =>
        size <= MaxMessageBytes ? size : throw new OnnxFormatException($"Cannot write {what}: it serializes to {size} bytes; a protobuf file holds at most {MaxMessageBytes}.");

    private static byte[] Serialize(long size, Action<CodedOutputStream> write)
    {
        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        write(output);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    private static void WriteAtomically(string path, long size, Action<CodedOutputStream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new IOException($"Cannot write '{path}': it has no folder.");
        string temp = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var output = new CodedOutputStream(stream, leaveOpen: true))
                {
                    write(output);
                    output.Flush();
                }
                if (stream.Length != size) throw new IOException($"Wrote {stream.Length} bytes to '{temp}' but expected {size}.");
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is (IOException and not OnnxFormatException) or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"Cannot write ONNX file '{path}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
