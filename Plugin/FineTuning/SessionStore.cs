using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.FineTuning;

/// <summary>
/// A fine-tuning session on disk, so a killed session loses nothing:
/// <c>session.json</c> (backbone, options, class names), <c>samples/&lt;class index&gt;/&lt;n&gt;.png</c>
/// written as each sample arrives, and <c>checkpoint.ckpt</c> after every epoch. Every file is written
/// to a temporary name and renamed into place.
/// </summary>
internal sealed class SessionStore
{
    private const string Format = "visionplugin-finetune-session";
    private int _nextSample;

    public SessionStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Path.Combine(Folder, "samples"));
        _nextSample = Directory.EnumerateFiles(Path.Combine(Folder, "samples"), "*.png", SearchOption.AllDirectories).Count();
    }

    public string Folder { get; }
    public string CheckpointPath => Path.Combine(Folder, "checkpoint.ckpt");
    private string DescriptionPath => Path.Combine(Folder, "session.json");

    /// <summary>Writes session.json (classes and options), atomically.</summary>
    public void SaveDescription(IReadOnlyList<string> classes, FineTuneOptions options)
    {
        var description = new JsonObject
        {
            ["format"] = Format,
            ["classes"] = new JsonArray(classes.Select(c => (JsonNode)c).ToArray()),
            ["options"] = JsonSerializer.SerializeToNode(options with { SessionFolder = null }),
        };
        AtomicFile.WriteAllBytes(DescriptionPath, Encoding.UTF8.GetBytes(description.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>Reads session.json; null when the folder holds no session yet.</summary>
    public (IReadOnlyList<string> Classes, FineTuneOptions Options)? LoadDescription()
    {
        if (!File.Exists(DescriptionPath)) return null;
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(DescriptionPath)) as JsonObject
                       ?? throw new InvalidDataException($"{DescriptionPath} is not a JSON object.");
            if (node["format"]?.GetValue<string>() != Format) throw new InvalidDataException($"{DescriptionPath} is not a fine-tuning session description.");
            string[] classes = (node["classes"] as JsonArray)?.Select(c => c!.GetValue<string>()).ToArray()
                               ?? throw new InvalidDataException($"{DescriptionPath} lists no classes.");
            FineTuneOptions options = node["options"].Deserialize<FineTuneOptions>() ?? new FineTuneOptions();
            return (classes, options with { SessionFolder = Folder });
        }
        catch (JsonException e) { throw new InvalidDataException($"{DescriptionPath}: {e.Message}", e); }
    }

    /// <summary>Persists one sample as PNG (RGBA) under its class index; returns the file.</summary>
    public string SaveSample(SampleImage image, int classIndex)
    {
        string folder = Path.Combine(Folder, "samples", classIndex.ToString("D3"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{Interlocked.Increment(ref _nextSample):D6}.png");
        PngWriter.Save(path, image.Rgba, image.Width, image.Height, PngPixelFormat.Rgba8);
        return path;
    }

    /// <summary>Every persisted sample, in the order written, with files that fail to decode listed separately.</summary>
    public (List<(SampleImage Image, int Class)> Samples, List<(string Path, string Reason)> Skipped) LoadSamples(int classCount)
    {
        var samples = new List<(string Path, int Class)>();
        foreach (string folder in Directory.EnumerateDirectories(Path.Combine(Folder, "samples")))
            if (int.TryParse(Path.GetFileName(folder), out int c) && c >= 0 && c < classCount)
                samples.AddRange(Directory.EnumerateFiles(folder, "*.png").Select(p => (p, c)));
        var loaded = new List<(SampleImage, int)>();
        var skipped = new List<(string, string)>();
        foreach (var (path, c) in samples.OrderBy(s => Path.GetFileName(s.Path), StringComparer.Ordinal))
        {
            try
            {
                DecodedImage image = ImageDecoders.Load(path);
                loaded.Add((SampleImage.FromRgba(image.Pixels.ToArray(), image.Width, image.Height), c));
            }
            catch (IOException e) { skipped.Add((path, e.Message)); }
        }
        return (loaded, skipped);
    }
}
