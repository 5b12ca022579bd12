using System.Text;
using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Reads a TensorFlow.js layers model from disk: <c>model.json</c> (or the <c>model.min.js</c> module npm packages
/// such as nsfwjs ship, see <see cref="JsModule"/>) with its <c>modelTopology</c> (a Keras model config) and
/// <c>weightsManifest</c>, plus the weight shards the manifest lists (plain <c>.bin</c> files or base64 <c>.min.js</c>
/// modules), concatenated per group in manifest order and dequantized (see <see cref="WeightDecoder"/>). Everything is
/// validated before weights are allocated: the manifest's shapes (no negative or oversized dimensions) and the
/// shards' exact byte counts. Every problem is a <see cref="TfJsFormatException"/> naming the file at fault.
/// </summary>
public static class TfJsModelReader
{
    /// <summary>Largest model.json / model.min.js read (the topology; weights live in the shards).</summary>
    public const long MaxModelFileBytes = 256L << 20;

    /// <summary>The file names looked for, in order, when <see cref="Read"/> is given a folder.</summary>
    public static IReadOnlyList<string> ModelFileNames { get; } = ["model.json", "model.min.js"];

    /// <param name="path">A model.json or model.min.js file, or the folder holding one.</param>
    /// <exception cref="FileNotFoundException">No model file at <paramref name="path"/>.</exception>
    /// <exception cref="TfJsFormatException">The files are malformed, inconsistent or hostile.</exception>
    public static TfJsModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string modelFile = LocateModelFile(path);
        using JsonDocument document = ParseModelFile(modelFile);
        JsonElement root = document.RootElement;
        var json = new JsonFields(modelFile);
        json.RequireKind(root, JsonValueKind.Object, "the model file's top level");
        if (JsonFields.Optional(root, "format") is { } format && json.String(format, "format") is not ("layers-model" or ""))
            throw json.Error($"format is '{format.GetString()}'; only TensorFlow.js layers models (format 'layers-model') are imported.");

        KerasTopology topology = KerasTopology.Parse(json.Property(root, "modelTopology", "the model file"), modelFile);
        IReadOnlyList<WeightGroup> manifest = JsonFields.Optional(root, "weightsManifest") is { } m
            ? WeightsManifest.Parse(m, modelFile)
            : [];

        string directory = Path.GetDirectoryName(Path.GetFullPath(modelFile))!;
        var weights = new Dictionary<string, TfJsWeight>(StringComparer.Ordinal);
        for (int g = 0; g < manifest.Count; g++)
        {
            byte[] bytes = WeightShards.ReadGroup(manifest[g], g, directory, modelFile);
            long offset = 0;
            foreach (WeightSpec spec in manifest[g].Weights)
            {
                float[] values = WeightDecoder.Decode(spec, bytes.AsSpan((int)offset, (int)spec.ByteCount));
                weights.Add(spec.Name, new TfJsWeight(spec, values));
                offset += spec.ByteCount;
            }
        }
        return new TfJsModel(modelFile, topology, manifest, weights);
    }

    private static string LocateModelFile(string path)
    {
        if (File.Exists(path)) return path;
        if (Directory.Exists(path))
        {
            foreach (string name in ModelFileNames)
            {
                string candidate = Path.Combine(path, name);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"{path} holds no TensorFlow.js model ({string.Join(" or ", ModelFileNames)}).", Path.Combine(path, ModelFileNames[0]));
        }
        throw new FileNotFoundException($"No TensorFlow.js model at {path}.", path);
    }

    private static JsonDocument ParseModelFile(string modelFile)
    {
        long length = new FileInfo(modelFile).Length;
        if (length > MaxModelFileBytes)
            throw new TfJsFormatException(modelFile, $"the model file is {length} bytes; more than {MaxModelFileBytes >> 20} MiB is refused.");
        byte[] utf8 = WeightShards.IsModule(modelFile)
            ? JsModule.ExportedObjectJson(File.ReadAllText(modelFile, Encoding.UTF8), modelFile)
            : File.ReadAllBytes(modelFile);
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new TfJsFormatException(modelFile, $"not valid JSON ({e.Message})", e);
        }
    }
}
