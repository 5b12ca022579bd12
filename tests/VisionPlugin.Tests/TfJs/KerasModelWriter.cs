using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>How a test model's files are written.</summary>
public sealed record ModelFileOptions
{
    /// <summary>How every weight is stored (quantized per tensor for Uint8/Uint16).</summary>
    public WeightStorage Storage { get; init; } = WeightStorage.Float32;
    /// <summary>True: shards as base64 <c>.min.js</c> modules (manifest paths without extension, as nsfwjs).</summary>
    public bool ModuleShards { get; init; }
    /// <summary>True: <c>model.min.js</c> (a minified JS module) instead of <c>model.json</c>.</summary>
    public bool ModuleModelFile { get; init; }
    /// <summary>The weights' bytes are split evenly over this many shard files.</summary>
    public int ShardCount { get; init; } = 1;
}

/// <summary>
/// Writes small hand-made TensorFlow.js layers models (Keras Functional config + weights manifest + shards) into a
/// temporary folder, in any of the formats the reader accepts, and remembers the float32 values each weight
/// dequantizes to (what tfjs would compute), for exact expectations.
/// </summary>
public sealed class KerasModelWriter
{
    private readonly JsonArray _layers = [];
    private readonly List<(string Name, int[] Shape, float[] Values)> _weights = [];
    private readonly List<string> _inputs = [], _outputs = [];

    /// <summary>An InputLayer with batch_input_shape [null, ..shape] (null entries stay unknown).</summary>
    public KerasModelWriter Input(string name, params int?[] shape)
    {
        var batchShape = new JsonArray { null };
        foreach (int? d in shape) batchShape.Add(d);
        _layers.Add(new JsonObject
        {
            ["name"] = name, ["class_name"] = "InputLayer",
            ["config"] = new JsonObject { ["batch_input_shape"] = batchShape, ["dtype"] = "float32", ["name"] = name },
            ["inbound_nodes"] = new JsonArray(),
        });
        _inputs.Add(name);
        return this;
    }

    /// <summary>A layer reading the given layers' outputs; the config gets its name added.</summary>
    public KerasModelWriter Layer(string className, string name, JsonObject config, params string[] inputs)
    {
        config["name"] = name;
        var node = new JsonArray();
        foreach (string input in inputs) node.Add(new JsonArray(input, 0, 0, new JsonObject()));
        _layers.Add(new JsonObject { ["name"] = name, ["class_name"] = className, ["config"] = config, ["inbound_nodes"] = new JsonArray(node) });
        return this;
    }

    public KerasModelWriter Weight(string name, int[] shape, float[] values)
    {
        if (values.Length != shape.Aggregate(1, (a, d) => a * d)) throw new ArgumentException($"{name}: {values.Length} values for [{string.Join(",", shape)}].");
        _weights.Add((name, shape, values));
        return this;
    }

    /// <summary>A weight of seeded uniform values in [min, max).</summary>
    public KerasModelWriter RandomWeight(string name, int[] shape, int seed, double min = -1, double max = 1) =>
        Weight(name, shape, TestData.ToFloat(TestData.Uniform(seed, shape.Aggregate(1, (a, d) => a * d), min, max)));

    public KerasModelWriter Outputs(params string[] layers)
    {
        _outputs.Clear();
        _outputs.AddRange(layers);
        return this;
    }

    /// <summary>The values each weight holds after storing with <paramref name="storage"/> and decoding as tfjs does.</summary>
    public Dictionary<string, float[]> Decoded(WeightStorage storage) =>
        _weights.ToDictionary(w => w.Name, w => Encode(w.Values, storage).Decoded);

    /// <summary>The model.json object (topology + manifest) for these shard paths.</summary>
    public JsonObject ModelJson(ModelFileOptions options, IReadOnlyList<string> paths)
    {
        var weights = new JsonArray();
        foreach (var (name, shape, values) in _weights)
        {
            var entry = new JsonObject { ["name"] = name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = "float32" };
            var encoded = Encode(values, options.Storage);
            if (options.Storage == WeightStorage.Float16) entry["quantization"] = new JsonObject { ["dtype"] = "float16" };
            else if (options.Storage != WeightStorage.Float32)
                entry["quantization"] = new JsonObject { ["min"] = encoded.Min, ["scale"] = encoded.Scale, ["dtype"] = options.Storage == WeightStorage.Uint8 ? "uint8" : "uint16" };
            weights.Add(entry);
        }
        JsonArray References(List<string> names) => new(names.Select(n => (JsonNode)new JsonArray(n, 0, 0)).ToArray());
        return new JsonObject
        {
            ["format"] = "layers-model",
            ["modelTopology"] = new JsonObject
            {
                ["keras_version"] = "2.2.4", ["backend"] = "tensorflow",
                ["model_config"] = new JsonObject
                {
                    ["class_name"] = "Model",
                    ["config"] = new JsonObject
                    {
                        ["name"] = "test_model", ["layers"] = _layers.DeepClone(),
                        ["input_layers"] = References(_inputs), ["output_layers"] = References(_outputs),
                    },
                },
            },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray(paths.Select(p => (JsonNode)p).ToArray()), ["weights"] = weights }),
        };
    }

    /// <summary>Writes the model into <paramref name="directory"/>; returns the model file's path.</summary>
    public string Write(string directory, ModelFileOptions? options = null)
    {
        options ??= new ModelFileOptions();
        Directory.CreateDirectory(directory);
        byte[] all = _weights.SelectMany(w => Encode(w.Values, options.Storage).Bytes).ToArray();
        var paths = new List<string>();
        int per = (all.Length + options.ShardCount - 1) / Math.Max(1, options.ShardCount);
        for (int s = 0; s < options.ShardCount; s++)
        {
            string stem = $"group1-shard{s + 1}of{options.ShardCount}";
            byte[] part = all.AsSpan(Math.Min(all.Length, s * per), Math.Max(0, Math.Min(per, all.Length - s * per))).ToArray();
            if (options.ModuleShards)
            {
                paths.Add(stem);
                File.WriteAllText(Path.Combine(directory, stem + ".min.js"), JsModuleText(stem, "\"" + Convert.ToBase64String(part) + "\""));
            }
            else
            {
                paths.Add(stem + ".bin");
                File.WriteAllBytes(Path.Combine(directory, stem + ".bin"), part);
            }
        }
        string json = ModelJson(options, paths).ToJsonString();
        string modelFile = Path.Combine(directory, options.ModuleModelFile ? "model.min.js" : "model.json");
        File.WriteAllText(modelFile, options.ModuleModelFile ? JsModuleText("model", Minify(json)) : json);
        return modelFile;
    }

    /// <summary>A browserify/UMD wrapper like nsfwjs' around <c>a.exports=payload</c> (with a decoy <c>module.exports=e()</c> first).</summary>
    public static string JsModuleText(string globalName, string payload) =>
        "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();else{(\"undefined\"!=typeof window?window:this)." +
        globalName + "=e()}}(function(){return function e(a,n,i){return a}({1:[function(e,a,n){a.exports=" + payload + "},{}]},{},[1])(1)});";

    /// <summary>JSON written the way a JS minifier prints it: bare keys, !0/!1, .5 for 0.5.</summary>
    public static string Minify(string json)
    {
        string s = Regex.Replace(json, "\"([A-Za-z_$][A-Za-z0-9_$]*)\":", "$1:");
        s = s.Replace(":true", ":!0").Replace(":false", ":!1");
        return Regex.Replace(s, "([:\\[,])(-?)0\\.(\\d)", "$1$2.$3");
    }

    /// <summary>Stored bytes and the float32 values tfjs decodes them to (uint8/uint16: v = min + scale * q per tensor).</summary>
    public static (byte[] Bytes, float[] Decoded, double Min, double Scale) Encode(float[] values, WeightStorage storage)
    {
        switch (storage)
        {
            case WeightStorage.Float32:
            {
                var bytes = new byte[values.Length * 4];
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
                return (bytes, values, 0, 1);
            }
            case WeightStorage.Float16:
            {
                var bytes = new byte[values.Length * 2];
                var decoded = new float[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
                    decoded[i] = (float)(Half)values[i];
                }
                return (bytes, decoded, 0, 1);
            }
            default:
            {
                int levels = storage == WeightStorage.Uint8 ? 255 : 65535, size = storage == WeightStorage.Uint8 ? 1 : 2;
                double min = values.Min(), max = values.Max();
                double scale = max > min ? (max - min) / levels : 1;
                var bytes = new byte[values.Length * size];
                var decoded = new float[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    int q = (int)Math.Round((values[i] - min) / scale);
                    if (size == 1) bytes[i] = (byte)q;
                    else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)q);
                    decoded[i] = (float)(q * scale + min);
                }
                return (bytes, decoded, min, scale);
            }
        }
    }
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "visionplugin-tests", "tfjs-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Small JSON-config helpers for test layers.</summary>
public static class Cfg
{
    public static JsonObject Of(params (string Key, JsonNode? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields) o[key] = value;
        return o;
    }

    public static JsonArray Ints(params int[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    public static JsonArray Pairs((int, int) a, (int, int) b) => new(Ints(a.Item1, a.Item2), Ints(b.Item1, b.Item2));

    /// <summary>Reads back a written text file (for tests that corrupt one).</summary>
    public static string Read(string path) => System.IO.File.ReadAllText(path, Encoding.UTF8);
}
