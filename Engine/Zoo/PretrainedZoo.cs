using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Engine.Zoo;

/// <summary>What a pretrained trunk takes and gives.</summary>
/// <param name="Input">Per-image input [C,H,W]: RGB, values in [0, 1].</param>
/// <param name="FeatureCount">Width of the output feature vector [N, FeatureCount].</param>
/// <param name="Source">Where the weights come from (package, version, license).</param>
public sealed record PretrainedModelInfo(string Name, TensorShape Input, int FeatureCount, string Source);

/// <summary>
/// Pretrained feature trunks imported from the local model cache (<see cref="ModelCache"/>), by name:
/// <list type="table">
/// <item><term>mobilenet_v2</term><description>MobileNetV2 (width 1, 224x224) as shipped by the npm package nsfwjs
/// 4.3.0 (MIT), a Keras model saved for TensorFlow.js with uint8-quantized weights. Input RGB in [0, 1],
/// [3,224,224]; output the 1280-d global-average-pooled features [N,1280]. The package's classification head is
/// dropped: only layers up to the pooled features are built.</description></item>
/// </list>
/// The trunk's layers keep their Keras names (<c>Conv1</c>, <c>block_1_depthwise</c>, <c>out_relu</c>, ...); put
/// your own head on its output. Fetch the files first with <c>scripts/setup.sh</c>.
/// </summary>
public static class PretrainedZoo
{
    private sealed record Entry(PretrainedModelInfo Info, string Subdirectory, (string File, string Sha256)[] Files, string TrunkOutput);

    // Checksums match scripts/fetch-models.sh, which verifies the package tarball and extracts these files.
    private static readonly Entry[] Entries =
    [
        new(new PretrainedModelInfo("mobilenet_v2", new TensorShape(3, 224, 224), 1280, "nsfwjs 4.3.0 (npm, MIT), dist/models/mobilenet_v2"),
            Path.Combine("nsfwjs-4.3.0", "mobilenet_v2"),
            [
                ("model.min.js", "c32f104fd562b08cdff5ed69dfe1209643afa47e792fb12751d2949aa61a397a"),
                ("group1-shard1of1.min.js", "ef2e0a63f7d2c4960b37b024b669313f65d3c45cd59e9042636c55b39de53517"),
            ],
            TrunkOutput: "flatten_1"),
    ];

    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Info.Name).ToArray();

    /// <summary>True when <paramref name="name"/> is a pretrained trunk (case-insensitive).</summary>
    public static bool Contains(string name) => Entries.Any(e => string.Equals(e.Info.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Input, output width and provenance of trunk <paramref name="name"/> (no files needed).</summary>
    public static PretrainedModelInfo Describe(string name) => Find(name).Info;

    /// <summary>The folder the trunk's files are read from.</summary>
    /// <param name="cacheDirectory">The model cache; null = <see cref="ModelCache.DefaultDirectory"/>.</param>
    public static string ModelDirectory(string name, string? cacheDirectory = null) =>
        Path.Combine(cacheDirectory ?? ModelCache.DefaultDirectory, Find(name).Subdirectory);

    /// <summary>Checks that the cache holds trunk <paramref name="name"/>'s files with their recorded SHA-256s.</summary>
    /// <exception cref="FileNotFoundException">A file is missing (run scripts/setup.sh).</exception>
    /// <exception cref="InvalidDataException">A file is damaged (checksum mismatch).</exception>
    public static void Verify(string name, string? cacheDirectory = null)
    {
        Entry entry = Find(name);
        ModelCache.Verify(entry.Info.Name, ModelDirectory(name, cacheDirectory), entry.Files);
    }

    /// <summary>
    /// Imports trunk <paramref name="name"/> onto the GPU: input [N,3,224,224] RGB in [0,1], output [N,1280]. Call on
    /// the GL thread; the caller owns the model.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="FileNotFoundException">The model is not in the cache (run scripts/setup.sh).</exception>
    /// <exception cref="InvalidDataException">A cached file is damaged (checksum mismatch) or unreadable.</exception>
    public static Model Load(GpuContext context, string name, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Entry entry = Find(name);
        string directory = ModelDirectory(name, cacheDirectory);
        Verify(name, cacheDirectory);
        TfJsModel source = TfJsModelReader.Read(Path.Combine(directory, entry.Files[0].File));
        Model model = TfJsImporter.Build(context, source, new TfJsImportOptions { Outputs = [entry.TrunkOutput], ModelName = entry.Info.Name });
        TensorShape output = model.InferShapes()[model.Outputs[0]];
        if (model.InputShapes[0] != entry.Info.Input || output != new TensorShape(1, entry.Info.FeatureCount))
        {
            model.Dispose();
            throw new InvalidDataException($"Pretrained model '{entry.Info.Name}' imported with input {model.InputShapes[0]} and output {output}; expected {entry.Info.Input} and [1,{entry.Info.FeatureCount}].");
        }
        return model;
    }

    /// <summary>The default backbone: <see cref="Load"/> of <c>mobilenet_v2</c>.</summary>
    public static Model MobileNetV2Trunk(GpuContext context, string? cacheDirectory = null) => Load(context, "mobilenet_v2", cacheDirectory);

    private static Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Entries.FirstOrDefault(e => string.Equals(e.Info.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown pretrained model '{name}'; available: {string.Join(", ", Names)}.", nameof(name));
    }
}
