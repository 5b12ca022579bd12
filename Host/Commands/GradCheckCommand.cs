using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Training;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>gradcheck</c>: central differences through a whole small network (a tiny ResNet with BatchNorm,
/// pooling, residual adds and a dense head) on the GPU, compared with back-propagation; prints the
/// maximum relative error per parameter tensor and for the input.
/// </summary>
internal static class GradCheckCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var samples = new Option<int>("--samples") { Description = "Elements checked per tensor (all when the tensor is smaller).", DefaultValueFactory = _ => 24 };
        var step = new Option<float>("--step") { Description = "Finite-difference step h (float32 forward: 1e-2 balances rounding noise and curvature).", DefaultValueFactory = _ => 1e-2f };
        var activation = new Option<string>("--activation")
        {
            Description = "Activation in the network: elu (smooth, the default: a clean check) or relu (kinks are detected and skipped).",
            DefaultValueFactory = _ => "elu",
        };
        activation.AcceptOnlyFromAmong("elu", "relu", "tanh", "softplus");
        var pool = new Option<string>("--pool")
        {
            Description = "Stem pooling: avg (smooth, the default) or max (an arg-max switch inside the step can spoil single elements).",
            DefaultValueFactory = _ => "avg",
        };
        pool.AcceptOnlyFromAmong("avg", "max");
        var tolerance = new Option<double>("--tolerance") { Description = "Largest acceptable relative error (exit code 1 above it).", DefaultValueFactory = _ => 5e-2 };
        var seed = new Option<int>("--seed") { Description = "Seeds weights, input and the element sample.", DefaultValueFactory = _ => 0 };
        var command = new Command("gradcheck", "Check back-propagation against central finite differences through a tiny ResNet on the GPU.")
        {
            json, samples, step, tolerance, seed, activation, pool,
        };
        command.SetAction(parse => CommandSupport.Guard("gradcheck", () =>
            Run(parse.GetValue(json), parse.GetValue(samples), parse.GetValue(step), parse.GetValue(tolerance), parse.GetValue(seed),
                parse.GetValue(activation)!, parse.GetValue(pool) == "max")));
        return command;
    }

    private static int Run(bool json, int samples, float step, double tolerance, int seed, string activationName, bool maxPool)
    {
        ActivationOptions activation = activationName switch
        {
            "relu" => ActivationOptions.Relu(),
            "tanh" => ActivationOptions.Tanh(),
            "softplus" => ActivationOptions.Softplus(),
            _ => ActivationOptions.Elu(),
        };
        if (samples < 1) throw new ArgumentException($"--samples must be at least 1; got {samples}.");
        if (!(step > 0)) throw new ArgumentException($"--step must be positive; got {step}.");
        using var context = GpuContext.CreateHeadless();
        using Model model = TinyResNet.Build(context, seed: seed, activation: activation, maxPool: maxPool);
        var random = new Random(seed + 1);
        var values = new float[2 * 3 * 12 * 12];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        using var input = Tensor.FromData(context, new TensorShape(2, 3, 12, 12), values);
        AnsiConsole.MarkupLine($"Gradient check: [bold]{Markup.Escape(model.Name)}[/] ({activationName}, BatchNorm in training mode, {(maxPool ? "max" : "average")} pooling, residual adds) on {Markup.Escape(context.Device.Renderer)}, input {Markup.Escape(input.Shape.ToString())}, h = {step}");
        IReadOnlyList<GradientCheckResult> results = GradientCheck.Run(model, input, samples, step, seed);

        var table = new Table().AddColumns("tensor", "shape", "checked", "at kinks", "max rel. error", "max abs. error", "backprop / numeric at worst", "");
        foreach (GradientCheckResult r in results)
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Shape.ToString()), r.Checked.ToString(), r.AtKinks.ToString(), r.MaxRelativeError.ToString("E2"), r.MaxAbsoluteError.ToString("E2"),
                $"{r.AnalyticAtWorst:G5} / {r.NumericAtWorst:G5}", r.MaxRelativeError <= tolerance ? "[green]ok[/]" : "[red]FAIL[/]");
        AnsiConsole.Write(table);
        double worst = results.Max(r => r.MaxRelativeError);
        bool ok = worst <= tolerance;
        AnsiConsole.MarkupLine($"worst relative error {worst:E2} (tolerance {tolerance:E1}): {(ok ? "[green]passed[/]" : "[red]failed[/]")}");
        if (json)
        {
            var tensors = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["shape"] = r.Shape.ToString(), ["checked"] = r.Checked, ["at_kinks"] = r.AtKinks,
                ["max_relative_error"] = r.MaxRelativeError, ["max_absolute_error"] = r.MaxAbsoluteError,
            }).ToArray());
            CommandSupport.PrintJson(new JsonObject
            {
                ["model"] = model.Name, ["activation"] = activationName, ["pool"] = maxPool ? "max" : "avg", ["renderer"] = context.Device.Renderer, ["step"] = step,
                ["max_relative_error"] = worst, ["tolerance"] = tolerance, ["passed"] = ok, ["tensors"] = tensors,
            });
        }
        return ok ? 0 : 1;
    }
}
