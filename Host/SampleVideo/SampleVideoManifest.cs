using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// What a built sample video holds, saved as JSON next to it: frame size and rate, the labelled segments (with
/// their sources and licences), and the fraction of each segment meant for capturing training samples.
/// </summary>
/// <remarks>
/// File format (version 1):
/// <code>
/// { "version": 1, "recipeHash": "9f..", "video": "sample.mp4", "width": 640, "height": 360, "fps": 15,
///   "frameCount": 630, "captureFraction": 0.35,
///   "segments": [ { "label": "mountain", "firstFrame": 0, "lastFrame": 104, "source": "/usr/share/..jpg",
///                   "package": "lomiri-wallpapers-16.04", "licence": "CC-BY-4.0", "credit": "Aitzol Berasategi, 2018" }, .. ] }
/// </code>
/// Segments are contiguous and in order: the first starts at frame 0, each next one right after the previous one's
/// last frame, the last one ends at frameCount - 1.
/// </remarks>
public sealed record SampleVideoManifest
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest's file name next to the video.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Hash of the recipe that built the video (<see cref="SampleVideoRecipe.ComputeHash"/>).</summary>
    public required string RecipeHash { get; init; }

    /// <summary>The video's file (or folder) name, relative to the manifest's folder.</summary>
    public required string Video { get; init; }

    /// <summary>Frame columns.</summary>
    public required int Width { get; init; }

    /// <summary>Frame rows.</summary>
    public required int Height { get; init; }

    /// <summary>Frames per second.</summary>
    public required int Fps { get; init; }

    /// <summary>Frames in the whole video.</summary>
    public required int FrameCount { get; init; }

    /// <summary>The leading fraction of each segment meant for capturing samples (0 &lt; f &lt; 1).</summary>
    public required double CaptureFraction { get; init; }

    /// <summary>The labelled runs, contiguous, in order.</summary>
    public required IReadOnlyList<SampleVideoSegment> Segments { get; init; }

    /// <summary>The distinct labels in order of first appearance.</summary>
    public IReadOnlyList<string> Labels => Segments.Select(s => s.Label).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The segment holding <paramref name="frameIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..FrameCount-1.</exception>
    public SampleVideoSegment SegmentAt(int frameIndex)
    {
        if (frameIndex < 0 || frameIndex >= FrameCount)
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex, $"The sample video has frames 0..{FrameCount - 1}.");
        int low = 0, high = Segments.Count - 1; // binary search: segments are sorted and contiguous
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (Segments[middle].LastFrame < frameIndex) low = middle + 1;
            else high = middle;
        }
        return Segments[low];
    }

    /// <summary>The label of frame <paramref name="frameIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..FrameCount-1.</exception>
    public string LabelAt(int frameIndex) => SegmentAt(frameIndex).Label;

    /// <summary>Whether <paramref name="frameIndex"/> lies in the capture part of its segment (see <see cref="CaptureFraction"/>).</summary>
    public bool IsCaptureFrame(int frameIndex) => frameIndex <= SegmentAt(frameIndex).LastCaptureFrame(CaptureFraction);

    /// <summary>Checks the invariants <see cref="Load"/> relies on.</summary>
    /// <exception cref="InvalidDataException">A field is out of range or the segments are not contiguous (the message says which).</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Video)) throw new InvalidDataException("\"video\" is empty.");
        if (Width < 1 || Height < 1) throw new InvalidDataException($"frame size {Width}x{Height} is not positive.");
        if (Fps < 1) throw new InvalidDataException($"\"fps\" is {Fps}; it must be at least 1.");
        if (FrameCount < 1) throw new InvalidDataException($"\"frameCount\" is {FrameCount}; it must be at least 1.");
        if (!(CaptureFraction > 0 && CaptureFraction < 1))
            throw new InvalidDataException($"\"captureFraction\" is {CaptureFraction}; it must lie strictly between 0 and 1.");
        if (Segments.Count == 0) throw new InvalidDataException("\"segments\" is empty.");
        int expectedFirst = 0;
        for (int i = 0; i < Segments.Count; i++)
        {
            SampleVideoSegment segment = Segments[i];
            if (string.IsNullOrWhiteSpace(segment.Label)) throw new InvalidDataException($"segments[{i}].label is empty.");
            if (segment.FirstFrame != expectedFirst)
                throw new InvalidDataException($"segments[{i}] ('{segment.Label}') starts at frame {segment.FirstFrame}; expected {expectedFirst} (segments must be contiguous, from frame 0).");
            if (segment.LastFrame < segment.FirstFrame)
                throw new InvalidDataException($"segments[{i}] ('{segment.Label}') ends at frame {segment.LastFrame}, before its first frame {segment.FirstFrame}.");
            expectedFirst = segment.LastFrame + 1;
        }
        if (expectedFirst != FrameCount)
            throw new InvalidDataException($"the segments cover frames 0..{expectedFirst - 1} but \"frameCount\" is {FrameCount}.");
    }

    /// <summary>The manifest as indented JSON (the format above).</summary>
    public string ToJson()
    {
        var segments = new JsonArray();
        foreach (SampleVideoSegment s in Segments)
            segments.Add(new JsonObject
            {
                ["label"] = s.Label, ["firstFrame"] = s.FirstFrame, ["lastFrame"] = s.LastFrame, ["source"] = s.Source,
                ["package"] = s.Package, ["licence"] = s.Licence, ["credit"] = s.Credit,
            });
        var root = new JsonObject
        {
            ["version"] = FormatVersion, ["recipeHash"] = RecipeHash, ["video"] = Video, ["width"] = Width, ["height"] = Height,
            ["fps"] = Fps, ["frameCount"] = FrameCount, ["captureFraction"] = CaptureFraction, ["segments"] = segments,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the manifest to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        Validate();
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads and validates a manifest.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, has another version, misses a field or breaks an invariant; the message starts with the path.</exception>
    public static SampleVideoManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Sample video manifest '{path}' does not exist.", path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Sample video manifest '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses and validates manifest JSON.</summary>
    /// <exception cref="InvalidDataException">See <see cref="Load"/>.</exception>
    public static SampleVideoManifest Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the top level is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON ({e.Message})", e);
        }
        int version = Field<int>(root, "version", "");
        if (version != FormatVersion) throw new InvalidDataException($"unsupported manifest version {version} (this build reads version {FormatVersion}).");
        if (root["segments"] is not JsonArray array) throw new InvalidDataException("\"segments\" is missing or not an array.");
        var segments = new List<SampleVideoSegment>();
        for (int i = 0; i < array.Count; i++)
        {
            string where = $"segments[{i}].";
            JsonObject segment = array[i] as JsonObject ?? throw new InvalidDataException($"segments[{i}] is not an object.");
            segments.Add(new SampleVideoSegment(
                Field<string>(segment, "label", where), Field<int>(segment, "firstFrame", where), Field<int>(segment, "lastFrame", where),
                Field<string>(segment, "source", where), OptionalString(segment, "package", where),
                Field<string>(segment, "licence", where), Field<string>(segment, "credit", where)));
        }
        var manifest = new SampleVideoManifest
        {
            RecipeHash = Field<string>(root, "recipeHash", ""), Video = Field<string>(root, "video", ""),
            Width = Field<int>(root, "width", ""), Height = Field<int>(root, "height", ""), Fps = Field<int>(root, "fps", ""),
            FrameCount = Field<int>(root, "frameCount", ""), CaptureFraction = Field<double>(root, "captureFraction", ""),
            Segments = segments,
        };
        manifest.Validate();
        return manifest;
    }

    private static T Field<T>(JsonObject owner, string name, string where)
    {
        JsonNode? node = owner[name] ?? throw new InvalidDataException($"\"{where}{name}\" is missing.");
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            string expected = typeof(T) == typeof(string) ? "a string" : typeof(T) == typeof(int) ? "an integer" : "a number";
            throw new InvalidDataException($"\"{where}{name}\" is {node.ToJsonString()}; expected {expected}.", e);
        }
    }

    private static string? OptionalString(JsonObject owner, string name, string where) =>
        owner[name] is null ? null : Field<string>(owner, name, where);
}
