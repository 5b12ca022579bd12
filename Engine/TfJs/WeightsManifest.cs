using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>How a weight's values are stored in its shard.</summary>
public enum WeightStorage
{
    /// <summary>Little-endian float32, 4 bytes a value.</summary>
    Float32,
    /// <summary>Little-endian IEEE half floats, 2 bytes a value (quantization dtype "float16").</summary>
    Float16,
    /// <summary>One byte q a value; value = min + scale * q (quantization dtype "uint8").</summary>
    Uint8,
    /// <summary>Little-endian 2-byte q a value; value = min + scale * q (quantization dtype "uint16").</summary>
    Uint16,
}

/// <summary>One entry of a weights group: a named float32 tensor in TensorFlow layout (Conv2D kernels [KH,KW,C,K]).</summary>
/// <param name="Shape">Dimensions, each at least 0.</param>
/// <param name="Min">Dequantization offset (uint8/uint16 only).</param>
/// <param name="Scale">Dequantization step (uint8/uint16 only).</param>
public sealed record WeightSpec(string Name, IReadOnlyList<int> Shape, WeightStorage Storage, double Min = 0, double Scale = 1)
{
    /// <summary>Product of the dimensions (validated to fit an int when the manifest is read).</summary>
    public int ElementCount => Shape.Aggregate(1, (a, d) => a * d);

    public int BytesPerElement => Storage switch
    {
        WeightStorage.Float32 => 4,
        WeightStorage.Float16 or WeightStorage.Uint16 => 2,
        _ => 1,
    };

    /// <summary>Bytes the weight occupies in its group's concatenated shards.</summary>
    public long ByteCount => (long)ElementCount * BytesPerElement;

    public override string ToString() => $"{Name} [{string.Join(",", Shape)}] {Storage}";
}

/// <summary>A weights group: shard files (concatenated in order) holding the weights back to back, in order.</summary>
public sealed record WeightGroup(IReadOnlyList<string> Paths, IReadOnlyList<WeightSpec> Weights)
{
    /// <summary>Bytes the shards must hold together.</summary>
    public long ByteCount => Weights.Sum(w => w.ByteCount);
}

/// <summary>Parses and validates a model.json's <c>weightsManifest</c> before any weight is allocated.</summary>
internal static class WeightsManifest
{
    /// <summary>Largest weight accepted (elements), so one tensor fits a GPU buffer and a float[].</summary>
    public const int MaxElements = 1 << 28;

    /// <summary>Largest total of weight bytes accepted over all groups (4 GiB).</summary>
    public const long MaxTotalBytes = 4L << 30;

    /// <exception cref="TfJsFormatException">Malformed entries, unknown dtypes, negative or oversized shapes, duplicate names.</exception>
    public static IReadOnlyList<WeightGroup> Parse(JsonElement manifest, string filePath)
    {
        var json = new JsonFields(filePath);
        var groups = new List<WeightGroup>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        IReadOnlyList<JsonElement> groupElements = json.Array(manifest, "weightsManifest");
        for (int g = 0; g < groupElements.Count; g++)
        {
            string where = $"weightsManifest[{g}]";
            var paths = json.Array(json.Property(groupElements[g], "paths", where), where + ".paths")
                .Select((p, i) => json.String(p, $"{where}.paths[{i}]")).ToList();
            var weights = new List<WeightSpec>();
            IReadOnlyList<JsonElement> entries = json.Array(json.Property(groupElements[g], "weights", where), where + ".weights");
            for (int i = 0; i < entries.Count; i++)
            {
                WeightSpec spec = ParseWeight(json, entries[i], $"{where}.weights[{i}]");
                if (!names.Add(spec.Name)) throw json.Error($"weight '{spec.Name}' appears twice in weightsManifest.");
                total += spec.ByteCount;
                if (total > MaxTotalBytes) throw json.Error($"weightsManifest asks for more than {MaxTotalBytes >> 30} GiB of weights; refusing.");
                weights.Add(spec);
            }
            if (paths.Count == 0 && weights.Any(w => w.ByteCount > 0)) throw json.Error($"{where} has weights but no shard paths.");
            groups.Add(new WeightGroup(paths, weights));
        }
        return groups;
    }

    private static WeightSpec ParseWeight(JsonFields json, JsonElement entry, string where)
    {
        string name = json.String(json.Property(entry, "name", where), where + ".name");
        where = $"{where} ('{name}')";
        var shape = json.Array(json.Property(entry, "shape", where), where + ".shape")
            .Select((d, i) => json.Int(d, $"{where}.shape[{i}]")).ToArray();
        long elements = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw json.Error($"{where} has a negative dimension in shape [{string.Join(",", shape)}].");
            elements *= d;
            if (elements > MaxElements) throw json.Error($"{where} shape [{string.Join(",", shape)}] has more than {MaxElements} elements; refusing.");
        }
        string dtype = json.String(json.Property(entry, "dtype", where), where + ".dtype");
        if (dtype != "float32") throw json.Error($"{where} has dtype '{dtype}'; only float32 weights are imported.");

        if (JsonFields.Optional(entry, "quantization") is not { } q) return new WeightSpec(name, shape, WeightStorage.Float32);
        string qWhere = where + ".quantization";
        string qType = json.String(json.Property(q, "dtype", qWhere), qWhere + ".dtype");
        switch (qType)
        {
            case "float16":
                return new WeightSpec(name, shape, WeightStorage.Float16);
            case "uint8" or "uint16":
                double min = json.Number(json.Property(q, "min", qWhere), qWhere + ".min");
                double scale = json.Number(json.Property(q, "scale", qWhere), qWhere + ".scale");
                return new WeightSpec(name, shape, qType == "uint8" ? WeightStorage.Uint8 : WeightStorage.Uint16, min, scale);
            default:
                throw json.Error($"{qWhere} has dtype '{qType}'; expected uint8, uint16 or float16.");
        }
    }
}
