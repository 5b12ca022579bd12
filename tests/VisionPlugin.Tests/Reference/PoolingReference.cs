using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Plain loops in double precision for the pooling ops, written from the definitions:
/// window (n, c, oy, ox) visits taps (iy, ix) = (oy*sH - padT + ky*dH, ox*sW - padL + kx*dW), ky, kx in row-major order;
/// taps inside the image are the pooled values, padding taps are skipped.
///   max: y = the first largest tap (argmax = iy*W + ix inside the (n, c) plane)
///   avg: y = sum / (taps inside the padded image [-padBefore, I + padAfter) per axis, or taps inside the image)
///   Lp:  y = (sum |x|^p)^(1/p)
/// Backward is the scatter (adjoint) of each forward expression — the GPU gathers instead, so agreement means something.
/// Global pooling is the same maths with one window covering the whole plane.
/// </summary>
public static class PoolingReference
{
    /// <summary>One output of a windowed pool: its flat index, the flat input indices of its image taps in scan order,
    /// and the number of its taps inside the padded image.</summary>
    private readonly record struct Window(int Output, int PlaneBase, List<int> Taps, int TapsInPaddedImage);

    public static (double[] Y, int[] Argmax) MaxForward(double[] x, TensorShape xs, Pool2dOptions o)
    {
        TensorShape ys = MaxPool2d.OutputShape(xs, o);
        var y = new double[ys.ElementCount];
        var argmax = new int[ys.ElementCount];
        foreach (Window window in Windows(xs, ys, o))
        {
            int best = window.Taps[0];
            foreach (int tap in window.Taps)
                if (x[tap] > x[best] || (double.IsNaN(x[tap]) && !double.IsNaN(x[best]))) best = tap;   // first of equals wins
            y[window.Output] = x[best];
            argmax[window.Output] = best - window.PlaneBase;
        }
        return (y, argmax);
    }

    /// <summary>y = x[argmax]  =>  dx[argmax] += dy.</summary>
    public static double[] MaxBackward(double[] x, TensorShape xs, double[] dy, Pool2dOptions o)
    {
        TensorShape ys = MaxPool2d.OutputShape(xs, o);
        int[] argmax = MaxForward(x, xs, o).Argmax;
        var dx = new double[xs.ElementCount];
        int planeSize = xs.H * xs.W;
        for (int i = 0; i < ys.ElementCount; i++)
            dx[i / (ys.H * ys.W) * planeSize + argmax[i]] += dy[i];
        return dx;
    }

    public static double[] AvgForward(double[] x, TensorShape xs, Pool2dOptions o)
    {
        TensorShape ys = AvgPool2d.OutputShape(xs, o);
        var y = new double[ys.ElementCount];
        foreach (Window window in Windows(xs, ys, o))
        {
            double sum = 0;
            foreach (int tap in window.Taps) sum += x[tap];
            y[window.Output] = sum / AvgDivisor(window, o);
        }
        return y;
    }

    /// <summary>y = sum(taps) / divisor  =>  dx[tap] += dy / divisor for every tap.</summary>
    public static double[] AvgBackward(TensorShape xs, double[] dy, Pool2dOptions o)
    {
        TensorShape ys = AvgPool2d.OutputShape(xs, o);
        var dx = new double[xs.ElementCount];
        foreach (Window window in Windows(xs, ys, o))
            foreach (int tap in window.Taps) dx[tap] += dy[window.Output] / AvgDivisor(window, o);
        return dx;
    }

    public static double[] LpForward(double[] x, TensorShape xs, Pool2dOptions o, double p)
    {
        TensorShape ys = LpPool2d.OutputShape(xs, o);
        var y = new double[ys.ElementCount];
        foreach (Window window in Windows(xs, ys, o))
        {
            double sum = 0;
            foreach (int tap in window.Taps) sum += Math.Pow(Math.Abs(x[tap]), p);
            y[window.Output] = Math.Pow(sum, 1 / p);
        }
        return y;
    }

    /// <summary>y = (sum |x|^p)^(1/p)  =>  dx[tap] += dy * |x|^(p-1) sign(x) / y^(p-1)  (0 when y == 0).</summary>
    public static double[] LpBackward(double[] x, TensorShape xs, double[] dy, Pool2dOptions o, double p)
    {
        TensorShape ys = LpPool2d.OutputShape(xs, o);
        double[] y = LpForward(x, xs, o, p);
        var dx = new double[xs.ElementCount];
        foreach (Window window in Windows(xs, ys, o))
        {
            double yv = y[window.Output];
            if (yv == 0) continue;
            foreach (int tap in window.Taps)
                dx[tap] += dy[window.Output] * Math.Pow(Math.Abs(x[tap]), p - 1) * Math.Sign(x[tap]) / Math.Pow(yv, p - 1);
        }
        return dx;
    }

    /// <summary>Options whose single window covers a whole H x W plane: global pooling as a windowed pool.</summary>
    public static Pool2dOptions WholePlane(TensorShape xs) => new() { KernelH = xs.H, KernelW = xs.W };

    private static int AvgDivisor(Window window, Pool2dOptions o) => o.CountIncludePad ? window.TapsInPaddedImage : window.Taps.Count;

    private static IEnumerable<Window> Windows(TensorShape xs, TensorShape ys, Pool2dOptions o)
    {
        Padding2d pad = o.Padding;
        for (int n = 0; n < xs.N; n++)
        for (int c = 0; c < xs.C; c++)
        {
            int planeBase = (n * xs.C + c) * xs.H * xs.W;
            for (int oy = 0; oy < ys.H; oy++)
            for (int ox = 0; ox < ys.W; ox++)
            {
                var taps = new List<int>();
                int inPadded = 0;
                for (int ky = 0; ky < o.KernelH; ky++)
                {
                    int iy = oy * o.StrideH - pad.Top + ky * o.DilationH;
                    for (int kx = 0; kx < o.KernelW; kx++)
                    {
                        int ix = ox * o.StrideW - pad.Left + kx * o.DilationW;
                        if (iy >= -pad.Top && iy < xs.H + pad.Bottom && ix >= -pad.Left && ix < xs.W + pad.Right) inPadded++;
                        if (iy >= 0 && iy < xs.H && ix >= 0 && ix < xs.W) taps.Add(planeBase + iy * xs.W + ix);
                    }
                }
                yield return new Window(((n * xs.C + c) * ys.H + oy) * ys.W + ox, planeBase, taps, inPadded);
            }
        }
    }
}
