using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Plain loops in double precision for Conv2d, written straight from the definition:
/// y[n,k,oy,ox] = b[k] + sum_{c,ky,kx} x[n, g*Cg + c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] * w[k,c,ky,kx].
/// Backward is written as the scatter of that expression (the adjoint), a different
/// formulation from the GPU's gather, so agreement means something.
/// </summary>
public static class Conv2dReference
{
    public static double[] Forward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[]? b, Conv2dOptions o)
    {
        TensorShape ys = Conv2d.OutputShape(xs, ws, o);
        var y = new double[ys.ElementCount];
        Visit(xs, ws, ys, o, (xi, wi, yi) => y[yi] += x[xi] * w[wi]);
        if (b is not null)
            for (int n = 0; n < ys.N; n++)
                for (int k = 0; k < ys.C; k++)
                    for (int p = 0; p < ys.H * ys.W; p++) y[(n * ys.C + k) * ys.H * ys.W + p] += b[k];
        return y;
    }

    /// <summary>(dx, dw, db) for upstream gradient dy.</summary>
    public static (double[] Dx, double[] Dw, double[] Db) Backward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[] dy, Conv2dOptions o)
    {
        TensorShape ys = Conv2d.OutputShape(xs, ws, o);
        var dx = new double[xs.ElementCount];
        var dw = new double[ws.ElementCount];
        var db = new double[ws[0]];
        // y[yi] += x[xi] * w[wi]  =>  dx[xi] += dy[yi] * w[wi];  dw[wi] += dy[yi] * x[xi].
        Visit(xs, ws, ys, o, (xi, wi, yi) =>
        {
            dx[xi] += dy[yi] * w[wi];
            dw[wi] += dy[yi] * x[xi];
        });
        // y[n,k,..] += b[k]  =>  db[k] += dy[n,k,..].
        for (int n = 0; n < ys.N; n++)
            for (int k = 0; k < ys.C; k++)
                for (int p = 0; p < ys.H * ys.W; p++) db[k] += dy[(n * ys.C + k) * ys.H * ys.W + p];
        return (dx, dw, db);
    }

    /// <summary>Calls <paramref name="term"/>(xIndex, wIndex, yIndex) for every product in the sum; padding taps are skipped.</summary>
    private static void Visit(TensorShape xs, TensorShape ws, TensorShape ys, Conv2dOptions o, Action<int, int, int> term)
    {
        int cg = ws[1], kg = ws[0] / o.Groups;
        for (int n = 0; n < ys.N; n++)
        for (int k = 0; k < ys.C; k++)
        {
            int g = k / kg;
            for (int oy = 0; oy < ys.H; oy++)
            for (int ox = 0; ox < ys.W; ox++)
            {
                int yi = ((n * ys.C + k) * ys.H + oy) * ys.W + ox;
                for (int c = 0; c < cg; c++)
                for (int ky = 0; ky < ws[2]; ky++)
                {
                    int iy = oy * o.StrideH - o.Padding.Top + ky * o.DilationH;
                    if (iy < 0 || iy >= xs.H) continue;
                    for (int kx = 0; kx < ws[3]; kx++)
                    {
                        int ix = ox * o.StrideW - o.Padding.Left + kx * o.DilationW;
                        if (ix < 0 || ix >= xs.W) continue;
                        int xi = ((n * xs.C + g * cg + c) * xs.H + iy) * xs.W + ix;
                        int wi = ((k * cg + c) * ws[2] + ky) * ws[3] + kx;
                        term(xi, wi, yi);
                    }
                }
            }
        }
    }
}
