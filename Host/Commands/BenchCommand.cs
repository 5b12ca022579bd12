using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Engine;
using VisionPlugin.Host.Bench;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>bench</c>: GFLOP/s of conv forward, backward-input and backward-weight on MobileNetV2 and
/// ResNet-18 layer shapes, next to the renderer's FMA peak measured in the same run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per pass (median reported).", DefaultValueFactory = _ => 5 };
        var filter = new Option<string?>("--filter") { Description = "Only layers whose network or name contains this text." };
        var command = new Command("bench", "Benchmark conv kernels (forward, backward-input, backward-weight) against the renderer's FMA peak.")
        {
            json, repeats, filter,
        };
        command.SetAction(parse => CommandSupport.Guard("bench", () =>
            Run(parse.GetValue(json), parse.GetValue(repeats), parse.GetValue(filter))));
        return command;
    }

    private static int Run(bool json, int repeats, string? filter)
    {
        if (repeats < 1) throw new ArgumentException($"--repeats must be at least 1; got {repeats}.");
        using var context = GpuContext.CreateHeadless();
        var shapes = ConvShape.Standard.Where(s => filter is null
            || s.Network.Contains(filter, StringComparison.OrdinalIgnoreCase) || s.Layer.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (shapes.Count == 0) throw new ArgumentException($"--filter '{filter}' matches no benchmark layer.");

        AnsiConsole.MarkupLine($"[bold]Conv benchmark[/] on [blue]{Markup.Escape(context.Device.Renderer)}[/] ({Environment.ProcessorCount} CPU cores), batch 1, median of {repeats}");
        double peak = FmaPeak.Measure(context);
        AnsiConsole.MarkupLine($"FMA peak (fma_peak.comp): [bold]{peak:F1}[/] GFLOP/s");

        var results = new List<ConvResult>();
        AnsiConsole.Progress().AutoClear(true).Start(progress =>
        {
            var task = progress.AddTask("layers", maxValue: shapes.Count);
            foreach (ConvShape shape in shapes)
            {
                task.Description = shape.Layer;
                results.Add(ConvBenchmark.Run(context, shape, repeats));
                task.Increment(1);
            }
        });

        var table = new Table().AddColumns("network", "layer", "MFLOP", "fwd GFLOP/s", "bwd-in GFLOP/s", "bwd-w GFLOP/s", "fwd % peak", "verified");
        foreach (ConvResult r in results)
            table.AddRow(r.Shape.Network, r.Shape.Layer, $"{2.0 * r.Shape.MultiplyAdds / 1e6:F0}",
                $"{r.ForwardGflops:F2}", $"{r.BackwardInputGflops:F2}", $"{r.BackwardWeightGflops:F2}",
                $"{100 * r.ForwardGflops / peak:F1}", r.Verified ? "[green]yes[/]" : "[red]NO[/]");
        AnsiConsole.Write(table);

        if (json)
        {
            var layers = new JsonArray();
            foreach (ConvResult r in results)
                layers.Add(new JsonObject
                {
                    ["network"] = r.Shape.Network, ["layer"] = r.Shape.Layer,
                    ["input"] = r.Shape.Input.ToString(), ["weight"] = r.Shape.Weight.ToString(),
                    ["mflop"] = Math.Round(2.0 * r.Shape.MultiplyAdds / 1e6, 1),
                    ["forward_gflops"] = Math.Round(r.ForwardGflops, 3),
                    ["backward_input_gflops"] = Math.Round(r.BackwardInputGflops, 3),
                    ["backward_weight_gflops"] = Math.Round(r.BackwardWeightGflops, 3),
                    ["forward_ms"] = Math.Round(r.ForwardSeconds * 1e3, 2),
                    ["backward_input_ms"] = Math.Round(r.BackwardInputSeconds * 1e3, 2),
                    ["backward_weight_ms"] = Math.Round(r.BackwardWeightSeconds * 1e3, 2),
                    ["verified"] = r.Verified,
                });
            CommandSupport.PrintJson(new JsonObject
            {
                ["renderer"] = context.Device.Renderer, ["cpu_cores"] = Environment.ProcessorCount,
                ["fma_peak_gflops"] = Math.Round(peak, 2), ["repeats"] = repeats, ["layers"] = layers,
            });
        }
        bool allVerified = results.All(r => r.Verified);
        if (!allVerified) Console.Error.WriteLine("visionplugin bench: some kernels gave wrong results in the spot check (see 'verified').");
        return allVerified ? 0 : 1;
    }
}
