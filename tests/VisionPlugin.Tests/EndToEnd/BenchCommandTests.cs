using System.Text.Json.Nodes;
using VisionPlugin.Tests.Onnx.Export;

namespace VisionPlugin.Tests.EndToEnd;

/// <summary>
/// <c>visionplugin bench --quick --json</c> as a user runs it: every section runs, verifies its output, and reports
/// positive figures; each peer figure carries the speed ratio recomputed here from the two figures, or says why the
/// peer is missing. ONNX Runtime is installed first (scripts/peers/install.sh), so its column must be present.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly string[] SectionNames = ["mobilenet", "finetune", "lenet", "conv", "startup", "live"];
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);
    private static string PeersFolder => Path.Combine(OrtPeer.RepositoryRoot, "scripts", "peers");

    [Fact]
    public void Quick_run_verifies_every_section_and_reports_figures_beside_the_peers_with_ratios()
    {
        OrtPeer.EnsureInstalled();
        var (code, stdout, stderr) = HostProcess.Run(OrtPeer.RepositoryRoot, Limit, "bench", "--quick", "--json", "--peers", PeersFolder);
        Assert.True(code == 0, $"bench exited {code}:\n{stderr}\n{stdout}");
        JsonObject result = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!.AsObject();

        Assert.True(result["quick"]!.GetValue<bool>());
        Assert.True(result["passed"]!.GetValue<bool>());
        Assert.False(string.IsNullOrWhiteSpace(result["renderer"]!.GetValue<string>()));
        Assert.True(result["machine"]!["cores"]!.GetValue<int>() >= 1);
        Assert.True(DateTime.TryParse(result["date"]!.GetValue<string>(), out _));
        Assert.True(result["peers"]!["onnxruntime"]!["available"]!.GetValue<bool>(), result["peers"]!.ToJsonString());

        JsonObject sections = result["sections"]!.AsObject();
        Assert.Equal(SectionNames, sections.Select(s => s.Key).ToArray());
        foreach (var (name, node) in sections)
        {
            JsonObject section = node!.AsObject();
            Assert.True(section["passed"]!.GetValue<bool>(), $"{name}: {section["failure"]}");
            Assert.True(section["details"]!["verification"]!["passed"]!.GetValue<bool>(), $"{name}: verification did not run or failed");
            JsonArray figures = section["figures"]!.AsArray();
            Assert.NotEmpty(figures);
            foreach (JsonNode? figure in figures) CheckFigure(name, figure!.AsObject());
        }

        // The MobileNetV2 logits were compared with ONNX Runtime's, and the ONNX Runtime column is filled.
        JsonNode verification = sections["mobilenet"]!["details"]!["verification"]!;
        Assert.True(verification["max_abs_diff"]!.GetValue<double>() <= verification["tolerance"]!.GetValue<double>());
        Assert.All(sections["mobilenet"]!["figures"]!.AsArray(), f => Assert.NotNull(f!["peers"]!["onnxruntime"]!["value"]));
        Assert.True(sections["mobilenet"]!["details"]!["dispatches_per_forward_batch1"]!.GetValue<long>() > 50);
    }

    /// <summary>Ours &gt; 0; each peer either has a value &gt; 0 and the speed ratio that value implies, or a reason.</summary>
    private static void CheckFigure(string section, JsonObject figure)
    {
        string label = $"{section} / {figure["name"]}";
        double ours = figure["ours"]!.GetValue<double>();
        Assert.True(ours > 0, $"{label}: ours = {ours}");
        bool higherIsBetter = figure["higher_is_better"]!.GetValue<bool>();
        foreach (var (peer, node) in figure["peers"]!.AsObject())
        {
            if (node!["value"] is JsonNode value)
            {
                double theirs = value.GetValue<double>(), ratio = node["speed_ratio"]!.GetValue<double>();
                Assert.True(theirs > 0, $"{label}: {peer} = {theirs}");
                double expected = higherIsBetter ? ours / theirs : theirs / ours;
                // Both figures are rounded to 4 decimals (1 above 100) in the JSON.
                Assert.True(Math.Abs(ratio - expected) <= 0.01 * expected + 1e-3, $"{label}: {peer} ratio {ratio}, figures give {expected}");
            }
            else Assert.False(string.IsNullOrWhiteSpace(node["unavailable"]?.GetValue<string>()), $"{label}: {peer} has neither a value nor a reason");
        }
    }

    [Theory]
    [InlineData("mobilenet,nosuch", "unknown section 'nosuch'")]
    public void Unknown_sections_are_refused_by_name(string only, string message)
    {
        var (code, _, stderr) = HostProcess.Run(OrtPeer.RepositoryRoot, TimeSpan.FromMinutes(1), "bench", "--only", only);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }
}
