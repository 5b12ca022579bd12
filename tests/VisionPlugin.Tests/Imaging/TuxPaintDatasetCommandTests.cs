using System.Text.Json.Nodes;
using VisionPlugin.Imaging;
using VisionPlugin.Tests.EndToEnd;

namespace VisionPlugin.Tests.Imaging;

/// <summary>
/// <c>./visionplugin dataset tuxpaint</c> for real: installs Debian's tuxpaint-stamps-default when missing
/// (160 MB download; allowed in CI), builds the 8-class folder, checks the per-class counts of the rule
/// (cartoons included, <c>_mirror</c> alternates excluded: 258 images), runs again to check it is
/// idempotent, and loads the result with <see cref="ImageFolderDataset"/>.
/// </summary>
public sealed class TuxPaintDatasetCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-tuxpaint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private JsonObject RunJson(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = HostProcess.Run(_folder, TimeSpan.FromMinutes(10), ["dataset", "tuxpaint", .. arguments, "--json"]);
        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        return JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!.AsObject();
    }

    [Fact]
    public void Builds_the_258_image_eight_class_set_idempotently()
    {
        JsonObject first = RunJson("--out", "set");

        var expected = new Dictionary<string, int>
        {
            ["mammal"] = 71, ["bird"] = 38, ["fish"] = 11, ["insect"] = 20, ["fruit"] = 41, ["vegetable"] = 18, ["flower"] = 25, ["vehicle"] = 34,
        };
        Assert.Equal(expected, first["classes"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()));
        Assert.Equal(258, first["total"]!.GetValue<int>());
        Assert.Equal(258, first["copied"]!.GetValue<int>());
        string[] skipped = [.. first["skipped"]!.AsArray().Select(s => Path.GetFileName(s!["path"]!.GetValue<string>()))];
        Assert.Equal(["dumper_mirror.png", "sedan_police_mirror.png", "tender_mirror.png", "tugboat_mirror.png"], skipped);
        Assert.All(first["skipped"]!.AsArray(), s => Assert.StartsWith("pre-mirrored copy of ", s!["reason"]!.GetValue<string>()));
        string output = Path.Combine(_folder, "set");
        Assert.Equal(output, first["out"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(output, "fruit", "cartoon__banana.png")));
        Assert.True(File.Exists(Path.Combine(output, "fruit", "banana.png")));

        File.WriteAllBytes(Path.Combine(output, "fish", "stale.png"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(output, "bird", "blackbird.png"), [1, 2, 3]); // a damaged copy is replaced
        JsonObject second = RunJson("--out", "set");
        Assert.Equal((1, 257, 1, 258), (second["copied"]!.GetValue<int>(), second["unchanged"]!.GetValue<int>(),
            second["removed"]!.GetValue<int>(), second["total"]!.GetValue<int>()));
        Assert.False(second["installed_now"]!.GetValue<bool>());

        ImageFolderDataset set = ImageFolderDataset.Load(output, new ImageFolderOptions { MaxSide = 32 });
        Assert.Equal(["bird", "fish", "flower", "fruit", "insect", "mammal", "vegetable", "vehicle"], set.ClassNames);
        Assert.Equal(258, set.Count);
        Assert.Empty(set.Skipped);
        Assert.All(set.Samples, s => Assert.True(Math.Max(s.Width, s.Height) <= 32));
        Assert.Contains(set.Samples, s => s.SourceHadAlpha);
    }

    [Fact]
    public void A_missing_stamps_folder_is_a_clear_error()
    {
        string missing = Path.Combine(_folder, "no-stamps");

        var (exitCode, _, stderr) = HostProcess.Run(_folder, TimeSpan.FromMinutes(1), "dataset", "tuxpaint", "--stamps", missing, "--out", "x");

        Assert.Equal(1, exitCode);
        Assert.Contains($"visionplugin dataset tuxpaint: Tux Paint stamps folder '{missing}' does not exist (Debian package tuxpaint-stamps-default).", stderr);
    }
}
