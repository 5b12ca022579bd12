using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>selftest</c>: a quick headless engine self-test:
/// it prints the GL renderer, runs a 3x3 convolution forward and backward on the GPU and checks the
/// results against values computed by plain loops here.
/// </summary>
internal static class SelfTestCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var command = new Command("selftest", "Headless GPU engine self-test: renderer, a conv forward and backward checked against plain loops.") { json };
        command.SetAction(parse => CommandSupport.Guard("selftest", () => SelfTest(parse.GetValue(json))));
        return command;
    }

    private static int SelfTest(bool json)
    {
        var clock = Stopwatch.StartNew();
        using var context = GpuContext.CreateHeadless();
        Console.WriteLine($"GPU: {context.Device.Renderer} — OpenGL {context.Device.Version}");

        // x: 1x1x5x5 ramp 0..24; w: 3x3 kernel 1..9; padding 1, so y has the input's size.
        const int size = 5;
        float[] x = Enumerable.Range(0, size * size).Select(i => (float)i).ToArray();
        float[] w = Enumerable.Range(1, 9).Select(i => (float)i).ToArray();
        var options = Conv2dOptions.Create(padding: 1);
        using var xt = Tensor.FromData(context, new TensorShape(1, 1, size, size), x);
        using var wt = Tensor.FromData(context, new TensorShape(1, 1, 3, 3), w);
        using var bt = Tensor.FromData(context, new TensorShape(1), [0.5f]);
        using var yt = new Tensor(context, 1, 1, size, size);
        using var dyt = Tensor.FromData(context, yt.Shape, Enumerable.Repeat(1f, size * size).ToArray());
        using var dxt = new Tensor(context, xt.Shape);
        using var dwt = new Tensor(context, wt.Shape);
        using var dbt = new Tensor(context, bt.Shape);

        Conv2d.Forward(xt, wt, bt, yt, options);
        Conv2d.BackwardInput(dyt, wt, dxt, options);
        Conv2d.BackwardWeight(xt, dyt, dwt, options);
        Conv2d.BackwardBias(dyt, dbt);
        float[] y = yt.ToArray(), dx = dxt.ToArray(), dw = dwt.ToArray(), db = dbt.ToArray();

        // Plain-loop expectations: y = sum of w * shifted x + b; with dy = 1, dx[i] = sum of the kernel
        // taps that see pixel i, dw[t] = sum of x under tap t, db = number of outputs.
        var yExpected = new float[size * size];
        var dxExpected = new float[size * size];
        var dwExpected = new float[9];
        for (int oy = 0; oy < size; oy++)
        for (int ox = 0; ox < size; ox++)
        {
            yExpected[oy * size + ox] = 0.5f;
            for (int ky = 0; ky < 3; ky++)
            for (int kx = 0; kx < 3; kx++)
            {
                int iy = oy - 1 + ky, ix = ox - 1 + kx;
                if (iy < 0 || iy >= size || ix < 0 || ix >= size) continue;
                yExpected[oy * size + ox] += w[ky * 3 + kx] * x[iy * size + ix];
                dxExpected[iy * size + ix] += w[ky * 3 + kx];
                dwExpected[ky * 3 + kx] += x[iy * size + ix];
            }
        }
        bool forwardOk = Same(y, yExpected), backwardOk = Same(dx, dxExpected) && Same(dw, dwExpected) && db[0] == size * size;

        PrintGrid("conv forward y (3x3 kernel 1..9 over a 0..24 ramp, pad 1, bias 0.5)", y, size);
        PrintGrid("backward dL/dx for dL/dy = 1", dx, size);
        PrintGrid("backward dL/dw", dw, 3);
        Console.WriteLine($"backward dL/db: {db[0]}");
        Console.WriteLine($"forward {(forwardOk ? "ok" : "WRONG")}, backward {(backwardOk ? "ok" : "WRONG")}; " +
                          $"{context.Programs.CompiledCount} programs compiled, {context.Programs.BinaryLoadCount} from the program cache; {clock.Elapsed.TotalSeconds:F2} s");
        if (json)
        {
            CommandSupport.PrintJson(new JsonObject
            {
                ["renderer"] = context.Device.Renderer, ["gl_version"] = context.Device.Version,
                ["forward_ok"] = forwardOk, ["backward_ok"] = backwardOk,
                ["conv_forward"] = new JsonArray(y.Select(v => (JsonNode)v).ToArray()),
                ["conv_backward_input"] = new JsonArray(dx.Select(v => (JsonNode)v).ToArray()),
                ["programs_compiled"] = context.Programs.CompiledCount,
                ["programs_from_cache"] = context.Programs.BinaryLoadCount,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            });
        }
        if (!(forwardOk && backwardOk)) Console.Error.WriteLine("visionplugin run: the GPU results differ from the expected values.");
        return forwardOk && backwardOk ? 0 : 1;
    }

    private static bool Same(float[] actual, float[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => MathF.Abs(p.First - p.Second) <= 1e-3f * MathF.Max(1, MathF.Abs(p.Second)));

    private static void PrintGrid(string title, float[] values, int width)
    {
        Console.WriteLine(title + ":");
        for (int row = 0; row < values.Length / width; row++)
            Console.WriteLine("  " + string.Join(" ", values.Skip(row * width).Take(width).Select(v => v.ToString("0.#").PadLeft(6))));
    }
}
