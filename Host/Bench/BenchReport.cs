using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>Prints a run's sections as Spectre tables (ours, each peer with our speed ratio) and as one JSON object.</summary>
internal static class BenchReport
{
    public static readonly string[] PeerNames = [PeerRunner.OnnxRuntime, PeerRunner.PyTorch];

    public static void WriteTable(SectionResult section)
    {
        if (!section.Passed)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(section.Title)}[/]: [red]FAILED[/] — {Markup.Escape(section.Failure!)}");
            return;
        }
        string[] peers = PeerNames.Where(p => section.Figures.Any(f => f.Peers.Any(x => x.Peer == p))).ToArray();
        var table = new Table { Title = new TableTitle($"[bold]{Markup.Escape(section.Title)}[/]") };
        table.AddColumn("figure").AddColumn(new TableColumn("ours").RightAligned());
        foreach (string peer in peers) table.AddColumn(new TableColumn($"{peer} (ours ×speed)").RightAligned());
        table.AddColumn("note");
        foreach (BenchFigure figure in section.Figures)
        {
            var cells = new List<string> { Markup.Escape(figure.Name), $"{Format(figure.Ours)} {Markup.Escape(figure.Unit)}" };
            foreach (string peer in peers)
            {
                PeerFigure? value = figure.Peers.FirstOrDefault(x => x.Peer == peer);
                cells.Add(value switch
                {
                    null => "",
                    { Value: double v } => $"{Format(v)} ([bold]×{figure.SpeedRatio(value):F2}[/])",
                    _ => $"[grey]n/a ({Markup.Escape(value.Unavailable!)})[/]",
                });
            }
            cells.Add(Markup.Escape(figure.Note ?? ""));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    public static JsonObject ToJson(IReadOnlyList<SectionResult> sections, GpuContext context, PeerRunner peers, BenchSettings settings,
        DateTime started, string loadAtStart)
    {
        var sectionJson = new JsonObject();
        foreach (SectionResult s in sections)
            sectionJson[s.Name] = new JsonObject
            {
                ["title"] = s.Title, ["passed"] = s.Passed, ["failure"] = s.Failure,
                ["figures"] = new JsonArray([.. s.Figures.Select(f => (JsonNode)f.ToJson())]), ["details"] = s.Details.DeepClone(),
            };
        return new JsonObject
        {
            ["date"] = started.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["seconds"] = Math.Round((DateTime.UtcNow - started.ToUniversalTime()).TotalSeconds, 1),
            ["machine"] = new JsonObject
            {
                ["host"] = Environment.MachineName, ["os"] = RuntimeInformation.OSDescription, ["cpu"] = CpuModel(),
                ["cores"] = Environment.ProcessorCount, ["dotnet"] = RuntimeInformation.FrameworkDescription,
                // Other processes' load makes figures noisy: 1/5/15-minute load averages when the run began and ended.
                ["load_average_start"] = loadAtStart, ["load_average_end"] = LoadAverage(),
            },
            ["renderer"] = context.Device.Renderer, ["gl_version"] = context.Device.Version,
            ["quick"] = settings.Quick,
            ["speed_ratio"] = "our speed ÷ the peer's (> 1: ours faster): peer/ours for times, ours/peer for rates",
            ["peers"] = new JsonObject
            {
                [PeerRunner.OnnxRuntime] = new JsonObject { ["available"] = peers.OrtUnavailable is null, ["reason"] = peers.OrtUnavailable },
                [PeerRunner.PyTorch] = new JsonObject { ["available"] = peers.TorchUnavailable is null, ["reason"] = peers.TorchUnavailable },
                ["threads"] = peers.Threads,
            },
            ["passed"] = sections.All(s => s.Passed),
            ["sections"] = sectionJson,
        };
    }

    public static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return RuntimeInformation.ProcessArchitecture.ToString(); }
    }

    /// <summary>The 1, 5 and 15-minute load averages (<c>/proc/loadavg</c>), or "unknown".</summary>
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    private static string Format(double value) => value >= 100 ? value.ToString("N0") : value >= 10 ? value.ToString("F1") : value.ToString("F2");
}
