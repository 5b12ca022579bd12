using System.Text.Json.Nodes;
using VisionPlugin.Host.SampleVideo;

namespace VisionPlugin.Host.Tests.SampleVideo;

public sealed class SampleVideoManifestTests
{
    private static SampleVideoManifest ThreeSegments() => new()
    {
        RecipeHash = "abc123", Video = "sample.mp4", Width = 640, Height = 360, Fps = 15, FrameCount = 30, CaptureFraction = 0.35,
        Segments =
        [
            new("mountain", 0, 9, "/usr/share/backgrounds/a.jpg", "lomiri-wallpapers-16.04", "CC-BY-4.0", "A, 2018"),
            new("dogs", 10, 19, "/usr/share/backgrounds/b.jpg", "lomiri-wallpapers-16.04", "CC-BY-4.0", "B, 2018"),
            new("own", 20, 29, "/home/x/c.png", null, "CC0-1.0", "C"),
        ],
    };

    [Fact]
    public void SaveThenLoad_RoundTripsEveryField()
    {
        using var scratch = new ScratchFolder();
        string path = Path.Combine(scratch.Path, SampleVideoManifest.FileName);
        SampleVideoManifest original = ThreeSegments();

        original.Save(path);
        SampleVideoManifest loaded = SampleVideoManifest.Load(path);

        Assert.Equal(original with { Segments = [] }, loaded with { Segments = [] });
        Assert.Equal(original.Segments, loaded.Segments);
        Assert.Null(loaded.Segments[2].Package);
        Assert.Equal(["mountain", "dogs", "own"], loaded.Labels);
        Assert.Single(Directory.GetFiles(scratch.Path)); // no temporary file left behind
    }

    [Fact]
    public void LabelAt_AndCaptureFrames_FollowTheSegments()
    {
        SampleVideoManifest manifest = ThreeSegments();
        Assert.Equal(["mountain", "mountain", "dogs", "dogs", "own", "own"], new[] { 0, 9, 10, 19, 20, 29 }.Select(manifest.LabelAt));
        // ceil(10 * 0.35) = 4 capture frames per segment.
        Assert.Equal([true, true, true, true, false, false], new[] { 10, 11, 12, 13, 14, 19 }.Select(manifest.IsCaptureFrame));
        Assert.Equal(23, manifest.Segments[2].LastCaptureFrame(manifest.CaptureFraction));
        Assert.Throws<ArgumentOutOfRangeException>(() => manifest.LabelAt(30));
        Assert.Throws<ArgumentOutOfRangeException>(() => manifest.LabelAt(-1));
    }

    [Fact]
    public void LastCaptureFrame_LeavesAtLeastOneFrameForTesting()
    {
        var segment = new SampleVideoSegment("a", 5, 6, "s", null, "CC0-1.0", "x");
        Assert.Equal(5, segment.LastCaptureFrame(0.99));
        Assert.Equal(5, segment.LastCaptureFrame(0.01));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "not json {", "not valid JSON" },
        { "[1, 2]", "top level is not a JSON object" },
        { Edit(o => o["version"] = 2), "unsupported manifest version 2" },
        { Edit(o => o.Remove("fps")), "\"fps\" is missing" },
        { Edit(o => o["width"] = "wide"), "\"width\" is \"wide\"; expected an integer" },
        { Edit(o => o["frameCount"] = 31), "cover frames 0..29 but \"frameCount\" is 31" },
        { Edit(o => o["captureFraction"] = 1.0), "\"captureFraction\" is 1" },
        { Edit(o => o["segments"] = new JsonArray()), "\"segments\" is empty" },
        { Edit(o => o.Remove("segments")), "\"segments\" is missing or not an array" },
        { Edit(o => o["segments"]![1]!["firstFrame"] = 11), "segments[1] ('dogs') starts at frame 11; expected 10" },
        { Edit(o => o["segments"]![0]!["lastFrame"] = -3), "ends at frame -3, before its first frame 0" },
        { Edit(o => o["segments"]![2]!.AsObject().Remove("licence")), "\"segments[2].licence\" is missing" },
        { Edit(o => o["segments"]![0]!["label"] = " "), "segments[0].label is empty" },
        { Edit(o => o["segments"]![0] = 5), "segments[0] is not an object" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Load_MalformedManifest_SaysWhatIsWrongAndWhere(string json, string expected)
    {
        using var scratch = new ScratchFolder();
        string path = Path.Combine(scratch.Path, "manifest.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => SampleVideoManifest.Load(path));

        Assert.StartsWith($"Sample video manifest '{path}': ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_MissingFile_IsFileNotFound()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SampleVideoManifest.Load("/nonexistent/manifest.json"));
        Assert.Contains("/nonexistent/manifest.json", error.Message);
    }

    private static string Edit(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(ThreeSegments().ToJson())!.AsObject();
        change(root);
        return root.ToJsonString();
    }
}
