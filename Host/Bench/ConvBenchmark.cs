using System.Diagnostics;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>Result of one layer: median seconds and GFLOP/s for each pass, and whether spot checks passed.</summary>
internal sealed record ConvResult(ConvShape Shape, double ForwardSeconds, double BackwardInputSeconds, double BackwardWeightSeconds, bool Verified)
{
    private double Gflops(double seconds) => 2.0 * Shape.MultiplyAdds / seconds / 1e9;
    public double ForwardGflops => Gflops(ForwardSeconds);
    public double BackwardInputGflops => Gflops(BackwardInputSeconds);
    public double BackwardWeightGflops => Gflops(BackwardWeightSeconds);
}

/// <summary>
/// Times Conv2d forward, backward-input and backward-weight on the GPU (median of N after a
/// warm-up that also pays the shader JIT). Before timing, each pass is spot-checked against
/// sums computed directly on the CPU at random positions, so a fast wrong kernel cannot pass.
/// </summary>
internal static class ConvBenchmark
{
    public static ConvResult Run(GpuContext context, ConvShape shape, int repeats)
    {
        var random = new Random(42);
        TensorShape outShape = Conv2d.OutputShape(shape.Input, shape.Weight, shape.Options);
        float[] x = RandomValues(random, shape.Input.ElementCount);
        float[] w = RandomValues(random, shape.Weight.ElementCount);
        float[] dy = RandomValues(random, outShape.ElementCount);
        using var xt = Tensor.FromData(context, shape.Input, x);
        using var wt = Tensor.FromData(context, shape.Weight, w);
        using var yt = new Tensor(context, outShape);
        using var dyt = Tensor.FromData(context, outShape, dy);
        using var dxt = new Tensor(context, shape.Input);
        using var dwt = new Tensor(context, shape.Weight);

        Conv2d.Forward(xt, wt, null, yt, shape.Options);
        Conv2d.BackwardInput(dyt, wt, dxt, shape.Options);
        Conv2d.BackwardWeight(xt, dyt, dwt, shape.Options, accumulate: false);
        bool verified = SpotCheck(shape, outShape, x, w, dy, yt.ToArray(), dxt.ToArray(), dwt.ToArray(), random);

        double forward = Median(repeats, () => Conv2d.Forward(xt, wt, null, yt, shape.Options), context);
        double backwardInput = Median(repeats, () => Conv2d.BackwardInput(dyt, wt, dxt, shape.Options), context);
        double backwardWeight = Median(repeats, () => Conv2d.BackwardWeight(xt, dyt, dwt, shape.Options, accumulate: false), context);
        return new ConvResult(shape, forward, backwardInput, backwardWeight, verified);
    }

    private static double Median(int repeats, Action pass, GpuContext context)
    {
        var seconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            context.Finish();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds[repeats / 2];
    }

    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>Checks 24 random elements of y, dx and dw against direct double-precision sums.</summary>
    private static bool SpotCheck(ConvShape s, TensorShape o, float[] x, float[] w, float[] dy, float[] y, float[] dx, float[] dw, Random random)
    {
        TensorShape i = s.Input, k = s.Weight;
        Conv2dOptions p = s.Options;
        int cg = k[1], kg = k[0] / p.Groups;
        bool ok = true;
        for (int t = 0; t < 24; t++)
        {
            // Forward: y[0, oc, oy, ox].
            int oc = random.Next(o.C), oy = random.Next(o.H), ox = random.Next(o.W);
            double sum = 0;
            int g = oc / kg;
            for (int c = 0; c < cg; c++)
            for (int ky = 0; ky < k[2]; ky++)
            for (int kx = 0; kx < k[3]; kx++)
            {
                int iy = oy * p.StrideH - p.Padding.Top + ky * p.DilationH, ix = ox * p.StrideW - p.Padding.Left + kx * p.DilationW;
                if (iy < 0 || iy >= i.H || ix < 0 || ix >= i.W) continue;
                sum += x[((g * cg + c) * i.H + iy) * i.W + ix] * w[((oc * cg + c) * k[2] + ky) * k[3] + kx];
            }
            ok &= Close(y[(oc * o.H + oy) * o.W + ox], sum);

            // Weight gradient: dw[oc, c, ky, kx] = sum over outputs of dy * x.
            int wc = random.Next(cg), wy = random.Next(k[2]), wx = random.Next(k[3]);
            double dwSum = 0;
            for (int yy = 0; yy < o.H; yy++)
            for (int xx = 0; xx < o.W; xx++)
            {
                int iy = yy * p.StrideH - p.Padding.Top + wy * p.DilationH, ix = xx * p.StrideW - p.Padding.Left + wx * p.DilationW;
                if (iy < 0 || iy >= i.H || ix < 0 || ix >= i.W) continue;
                dwSum += dy[(oc * o.H + yy) * o.W + xx] * x[((g * cg + wc) * i.H + iy) * i.W + ix];
            }
            ok &= Close(dw[((oc * cg + wc) * k[2] + wy) * k[3] + wx], dwSum);

            // Input gradient: dx[c, iy, ix] = sum over (oc, ky, kx) whose window covers the pixel.
            int ic = random.Next(i.C), py = random.Next(i.H), px = random.Next(i.W);
            int ig = ic / cg;
            double dxSum = 0;
            for (int kk = ig * kg; kk < (ig + 1) * kg; kk++)
            for (int ky = 0; ky < k[2]; ky++)
            for (int kx = 0; kx < k[3]; kx++)
            {
                int ty = py + p.Padding.Top - ky * p.DilationH, tx = px + p.Padding.Left - kx * p.DilationW;
                if (ty < 0 || tx < 0 || ty % p.StrideH != 0 || tx % p.StrideW != 0) continue;
                int yy = ty / p.StrideH, xx = tx / p.StrideW;
                if (yy >= o.H || xx >= o.W) continue;
                dxSum += dy[(kk * o.H + yy) * o.W + xx] * w[((kk * cg + (ic - ig * cg)) * k[2] + ky) * k[3] + kx];
            }
            ok &= Close(dx[(ic * i.H + py) * i.W + px], dxSum);
        }
        return ok;
    }

    private static bool Close(float actual, double expected) => Math.Abs(actual - expected) <= 1e-3 + 1e-3 * Math.Abs(expected);
}
