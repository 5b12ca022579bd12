using System.CommandLine;
using Spectre.Console;
using VisionPlugin.Engine;
using VisionPlugin.Host.Bench;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>bench</c>: our figures on the current GL renderer beside the reference peers' (ONNX Runtime, PyTorch CPU),
/// all measured in the same run, each as a speed ratio: MobileNetV2 forward, a last-blocks fine-tuning step, LeNet-5
/// training, conv kernels against the FMA peak, and process start to first classification. Every section verifies
/// its output before timing it.
/// </summary>
internal static class BenchCommand
{
    /// <summary>
    /// The sections in run order.
    /// </summary>
    private static IBenchSection[] Sections() =>
        [new MobileNetSection(), new FineTuneSection(), new LeNetSection(), new ConvSection(), new StartupSection(), new LivePipelineSection()];

    private static readonly Dictionary<string, string> NotYetImplemented = [];

    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var only = new Option<string?>("--only") { Description = "Comma-separated sections: mobilenet, finetune, lenet, conv, startup, live (default: all)." };
        var quick = new Option<bool>("--quick") { Description = "Tiny repeat counts everywhere (a smoke test; figures are rough)." };
        var repeats = new Option<int?>("--repeats") { Description = "Timed MobileNetV2 forwards per batch size (default 20; quick 2)." };
        var lenetImages = new Option<int?>("--lenet-images") { Description = "Fashion-MNIST images LeNet-5 trains on for its timing (default 10000)." };
        var filter = new Option<string?>("--filter") { Description = "Conv section: only layers whose network or name contains this text." };
        var peersDir = new Option<string?>("--peers") { Description = "The scripts/peers folder (default: found above the host or the working directory)." };
        var command = new Command("bench", "Benchmark against ONNX Runtime and PyTorch measured in the same run: MobileNetV2 forward, fine-tuning step, LeNet-5 training, conv kernels, start-up, live preview while fine-tuning.")
        {
            json, only, quick, repeats, lenetImages, filter, peersDir,
        };
        command.SetAction(parse => CommandSupport.Guard("bench", () =>
        {
            BenchSettings settings = parse.GetValue(quick) ? BenchSettings.QuickSettings : new BenchSettings();
            settings = settings with
            {
                Repeats = parse.GetValue(repeats) ?? settings.Repeats,
                LeNetImages = parse.GetValue(lenetImages) ?? settings.LeNetImages,
                ConvFilter = parse.GetValue(filter) ?? settings.ConvFilter,
            };
            settings.Validate();
            return Run(settings, Select(parse.GetValue(only)), parse.GetValue(peersDir), parse.GetValue(json));
        }));
        return command;
    }

    private static IReadOnlyList<IBenchSection> Select(string? only)
    {
        IBenchSection[] all = Sections();
        if (only is null) return all;
        var chosen = new List<IBenchSection>();
        foreach (string name in only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (NotYetImplemented.TryGetValue(name, out string? why)) throw new ArgumentException($"--only {name}: {why}.");
            chosen.Add(all.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                       ?? throw new ArgumentException($"--only: unknown section '{name}'; sections: {string.Join(", ", all.Select(s => s.Name))}."));
        }
        if (chosen.Count == 0) throw new ArgumentException("--only names no section.");
        return all.Where(chosen.Contains).ToList();
    }

    private static int Run(BenchSettings settings, IReadOnlyList<IBenchSection> sections, string? peersDirectory, bool json)
    {
        DateTime started = DateTime.Now;
        string loadAtStart = BenchReport.LoadAverage();
        var peers = new PeerRunner(PeerRunner.FindDirectory(peersDirectory), Environment.ProcessorCount, TimeSpan.FromMinutes(10));
        using var context = GpuContext.CreateHeadless();
        using var run = new BenchRun(context, peers, settings);
        AnsiConsole.MarkupLine($"[bold]bench[/] on [blue]{Markup.Escape(context.Device.Renderer)}[/], {Environment.ProcessorCount} cores " +
                               $"({Markup.Escape(BenchReport.CpuModel())}){(settings.Quick ? ", [yellow]quick[/]" : "")}; " +
                               $"peers: {PeerRunner.OnnxRuntime} {Availability(peers.OrtUnavailable)}, {PeerRunner.PyTorch} {Availability(peers.TorchUnavailable)}, {peers.Threads} threads each; load average {loadAtStart}");
        AnsiConsole.MarkupLine("[grey]×speed = our speed ÷ the peer's, from figures measured in this run (> 1: ours is faster).[/]");
        var results = new List<SectionResult>();
        foreach (IBenchSection section in sections)
        {
            AnsiConsole.MarkupLine($"[grey]running {section.Name}...[/]");
            SectionResult result;
            try
            {
                result = section.Run(run);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or GpuException or UnauthorizedAccessException)
            {
                result = new SectionResult(section.Name, section.Title, [], new(), $"{e.GetType().Name}: {e.Message}");
            }
            results.Add(result);
            BenchReport.WriteTable(result);
        }
        if (json) CommandSupport.PrintJson(BenchReport.ToJson(results, context, peers, settings, started, loadAtStart));
        List<SectionResult> failed = results.Where(r => !r.Passed).ToList();
        foreach (SectionResult f in failed) Console.Error.WriteLine($"visionplugin bench: section {f.Name} failed: {f.Failure}");
        return failed.Count == 0 ? 0 : 1;
    }

    private static string Availability(string? unavailable) => unavailable is null ? "[green]yes[/]" : $"[yellow]n/a ({Markup.Escape(unavailable)})[/]";
}
