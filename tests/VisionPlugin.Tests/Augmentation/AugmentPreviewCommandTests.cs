using System.Text.Json.Nodes;
using VisionPlugin.Tests.EndToEnd;
using VisionPlugin.Tests.Visualization;

namespace VisionPlugin.Tests.Augmentation;

/// <summary><c>visionplugin augment-preview</c> as a user runs it: a PNG grid and a JSON summary; bad options exit non-zero.</summary>
[Collection("Gpu")]
public sealed class AugmentPreviewCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-augment-").FullName;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public void Writes_a_png_grid_and_a_json_summary()
    {
        string output = Path.Combine(_folder, "grid.png");
        var (code, stdout, stderr) = HostProcess.Run(_folder, Limit,
            "augment-preview", "--pipeline", "strong", "--count", "3", "--size", "40", "--seed", "7", "--out", output, "--json");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        JsonNode summary = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!;
        Assert.Equal("strong", (string?)summary["pipeline"]);
        Assert.Equal(3, (int)summary["count"]!);
        DecodedPng png = PngTestDecoder.Decode(File.ReadAllBytes(output));
        Assert.Equal((int)summary["width"]!, png.Width);
        Assert.Equal(24 + 8 + 2 * 40 + 6, png.Height); // 4 tiles: 2 x 2
    }

    [Fact]
    public void Bad_options_fail_with_a_message()
    {
        var (code, _, stderr) = HostProcess.Run(_folder, Limit, "augment-preview", "--count", "0", "--out", Path.Combine(_folder, "x.png"));
        Assert.Equal(2, code);
        Assert.Contains("count", stderr);
        (code, _, stderr) = HostProcess.Run(_folder, Limit, "augment-preview", "--image", Path.Combine(_folder, "missing.png"));
        Assert.Equal(1, code);
        Assert.Contains("missing.png", stderr);
        (code, _, _) = HostProcess.Run(_folder, Limit, "augment-preview", "--pipeline", "wild");
        Assert.NotEqual(0, code);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
