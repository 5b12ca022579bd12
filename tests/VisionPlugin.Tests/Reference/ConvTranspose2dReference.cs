using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Plain loops in double precision for ConvTranspose2d, written straight from the scatter definition
/// y[n, g*Kg + k, iy*sH - padT + ky*dH, ix*sW - padL + kx*dW] += x[n, c, iy, ix] * w[c, k, ky, kx] (c in group g), plus b.
/// The GPU gathers; this reference scatters, and backward is the adjoint of the same visit, so agreement means something.
/// </summary>
public static class ConvTranspose2dReference
{
    public static double[] Forward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[]? b, ConvTranspose2dOptions o)
    {
        TensorShape ys = ConvTranspose2d.OutputShape(xs, ws, o);
        var y = new double[ys.ElementCount];
        Visit(xs, ws, ys, o, (xi, wi, yi) => y[yi] += x[xi] * w[wi]);
        if (b is not null)
            for (int n = 0; n < ys.N; n++)
                for (int k = 0; k < ys.C; k++)
                    for (int p = 0; p < ys.H * ys.W; p++) y[(n * ys.C + k) * ys.H * ys.W + p] += b[k];
        return y;
    }

    /// <summary>(dx, dw, db) for upstream gradient dy.</summary>
    public static (double[] Dx, double[] Dw, double[] Db) Backward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[] dy, ConvTranspose2dOptions o)
    {
        TensorShape ys = ConvTranspose2d.OutputShape(xs, ws, o);
        var dx = new double[xs.ElementCount];
        var dw = new double[ws.ElementCount];
        var db = new double[ys.C];
        // y[yi] += x[xi] * w[wi]  =>  dx[xi] += dy[yi] * w[wi];  dw[wi] += dy[yi] * x[xi].
        Visit(xs, ws, ys, o, (xi, wi, yi) =>
        {
            dx[xi] += dy[yi] * w[wi];
            dw[wi] += dy[yi] * x[xi];
        });
        for (int n = 0; n < ys.N; n++)
            for (int k = 0; k < ys.C; k++)
                for (int p = 0; p < ys.H * ys.W; p++) db[k] += dy[(n * ys.C + k) * ys.H * ys.W + p];
        return (dx, dw, db);
    }

    /// <summary>Calls <paramref name="term"/>(xIndex, wIndex, yIndex) for every product; taps landing outside the output are dropped.</summary>
    private static void Visit(TensorShape xs, TensorShape ws, TensorShape ys, ConvTranspose2dOptions o, Action<int, int, int> term)
    {
        int cg = xs.C / o.Groups, kg = ws[1];
        for (int n = 0; n < xs.N; n++)
        for (int c = 0; c < xs.C; c++)
        {
            int g = c / cg;
            for (int iy = 0; iy < xs.H; iy++)
            for (int ix = 0; ix < xs.W; ix++)
            {
                int xi = ((n * xs.C + c) * xs.H + iy) * xs.W + ix;
                for (int k = 0; k < kg; k++)
                for (int ky = 0; ky < ws[2]; ky++)
                {
                    int oy = iy * o.StrideH - o.Padding.Top + ky * o.DilationH;
                    if (oy < 0 || oy >= ys.H) continue;
                    for (int kx = 0; kx < ws[3]; kx++)
                    {
                        int ox = ix * o.StrideW - o.Padding.Left + kx * o.DilationW;
                        if (ox < 0 || ox >= ys.W) continue;
                        int yi = ((n * ys.C + g * kg + k) * ys.H + oy) * ys.W + ox;
                        int wi = ((c * kg + k) * ws[2] + ky) * ws[3] + kx;
                        term(xi, wi, yi);
                    }
                }
            }
        }
    }
}
