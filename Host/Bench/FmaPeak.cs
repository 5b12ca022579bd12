using System.Diagnostics;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// The renderer's multiply-add peak measured by a trivial shader (<c>fma_peak.comp</c>): independent
/// vec4 FMA chains with no memory traffic. Conv figures are read against it.
/// </summary>
internal static class FmaPeak
{
    /// <summary>Best GFLOP/s over <paramref name="repeats"/> runs (1 FMA = 2 flops).</summary>
    public static double Measure(GpuContext context, int repeats = 5)
    {
        const int invocations = 64 * 1024;
        const int iterations = 1024;
        using var sink = new GpuBuffer(context, invocations);
        ComputeProgram program = context.Programs.Get("fma_peak.comp");
        void RunOnce()
        {
            program.Set("iterations", iterations).Set("multiplier", 0.999f).Set("addend", 1e-3f).Bind(0, sink).DispatchLinear(invocations);
            context.Finish();
        }
        RunOnce(); // warm-up: JIT
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            RunOnce();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        double flops = (double)invocations * iterations * 64;
        return flops / best / 1e9;
    }
}
