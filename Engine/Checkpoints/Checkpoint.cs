using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionPlugin.Engine.Checkpoints;

/// <summary>
/// Named float tensors plus JSON metadata, as saved on disk. File layout (little-endian):
/// <c>"VPCKPT01"</c>, int32 header length, UTF-8 JSON header
/// <c>{"metadata": {...}, "tensors": [{"name", "shape"}...]}</c>, then each tensor's float32
/// values in header order, then the 8-byte end marker <c>"VPCKEND!"</c> (detects truncation).
/// Saving is atomic: a temporary file in the same folder is written, flushed to disk and renamed
/// over the target, so a crash or a full disk never leaves a half-written checkpoint behind.
/// </summary>
public sealed class Checkpoint
{
    private static readonly byte[] Magic = "VPCKPT01"u8.ToArray();
    private static readonly byte[] EndMarker = "VPCKEND!"u8.ToArray();
    /// <summary>Refuse headers larger than this before allocating (hostile files).</summary>
    public const int MaxHeaderBytes = 16 * 1024 * 1024;

    private readonly Dictionary<string, (TensorShape Shape, float[] Values)> _tensors;

    private Checkpoint(JsonObject metadata, Dictionary<string, (TensorShape, float[])> tensors, IReadOnlyList<string> order)
    {
        Metadata = metadata;
        _tensors = tensors;
        Names = order;
    }

    /// <summary>Free-form metadata (architecture, epoch, step, optimizer, seeds, ...).</summary>
    public JsonObject Metadata { get; }

    /// <summary>Tensor names in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public (TensorShape Shape, float[] Values) this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"Checkpoint has no tensor '{name}'.");

    /// <summary>Reads the GPU tensors back and writes them with <paramref name="metadata"/> atomically.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, JsonObject metadata)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>();
        foreach (var (name, _) in list)
            if (!names.Add(name)) throw new ArgumentException($"Checkpoint tensor name '{name}' appears twice.", nameof(tensors));
        var header = new JsonObject
        {
            ["metadata"] = metadata.DeepClone(),
            ["tensors"] = new JsonArray(list.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = new JsonArray(t.Tensor.Shape.Dimensions.ToArray().Select(d => (JsonNode)d).ToArray()),
            }).ToArray()),
        };
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(Magic);
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, headerBytes.Length);
                stream.Write(length);
                stream.Write(headerBytes);
                foreach (var (_, tensor) in list)
                {
                    float[] values = tensor.ToArray();
                    stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                }
                stream.Write(EndMarker);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Reads a checkpoint file; every malformation is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static Checkpoint Load(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = new BinaryReader(stream);
        long length = stream.Length;
        if (length < Magic.Length + 4 + EndMarker.Length || !reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a VisionPlugin checkpoint (bad magic).");
        int headerLength = reader.ReadInt32();
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > length - stream.Position)
            throw new InvalidDataException($"{path}: header length {headerLength} is invalid.");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(reader.ReadBytes(headerLength)) as JsonObject
                     ?? throw new InvalidDataException($"{path}: header is not a JSON object.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: header is not valid JSON ({e.Message}).", e); }
        var metadata = header["metadata"] as JsonObject ?? new JsonObject();
        var entries = header["tensors"] as JsonArray ?? throw new InvalidDataException($"{path}: header has no tensor list.");
        var tensors = new Dictionary<string, (TensorShape, float[])>();
        var order = new List<string>();
        long remaining = length - stream.Position - EndMarker.Length;
        foreach (JsonNode? entry in entries)
        {
            string name = entry?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: a tensor entry has no name.");
            int[] dims = (entry["shape"] as JsonArray)?.Select(d => d?.GetValue<int>() ?? -1).ToArray()
                         ?? throw new InvalidDataException($"{path}: tensor '{name}' has no shape.");
            if (dims.Any(d => d < 0)) throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension.");
            long count = dims.Aggregate(1L, (a, d) => a * d);
            if (count * 4 > remaining) throw new InvalidDataException($"{path}: tensor '{name}' [{string.Join(",", dims)}] runs past the end of the file (truncated?).");
            var values = new float[count];
            stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            remaining -= count * 4;
            if (!tensors.TryAdd(name, (new TensorShape(dims), values))) throw new InvalidDataException($"{path}: tensor '{name}' appears twice.");
            order.Add(name);
        }
        if (remaining != 0 || !reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
            throw new InvalidDataException($"{path}: missing end marker (the file is truncated or has trailing data).");
        return new Checkpoint(metadata, tensors, order);
    }

    /// <summary>
    /// Copies the saved values into <paramref name="targets"/>. Every target must exist with the same
    /// shape; otherwise nothing is copied and the message names the first mismatched tensor.
    /// </summary>
    public void RestoreInto(IEnumerable<(string Name, Tensor Tensor)> targets)
    {
        var list = targets.ToList();
        foreach (var (name, tensor) in list)
        {
            if (!_tensors.TryGetValue(name, out var saved))
                throw new InvalidDataException($"Checkpoint does not match the model: it has no tensor '{name}' (model expects {tensor.Shape}).");
            if (saved.Shape != tensor.Shape)
                throw new InvalidDataException($"Checkpoint does not match the model: tensor '{name}' is {saved.Shape} in the checkpoint but {tensor.Shape} in the model.");
        }
        foreach (var (name, tensor) in list) tensor.Upload(_tensors[name].Values);
    }
}
