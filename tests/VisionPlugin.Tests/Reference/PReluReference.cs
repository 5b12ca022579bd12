using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// PReLU in double precision as y = max(0, x) + a * min(0, x) (He et al. 2015), with the slope of
/// channel c = a[c], or a[0] when one slope is shared. Backward as the adjoint of that sum:
/// dx = dy * (1[x &gt; 0] + a * 1[x &lt; 0]), da[c] += dy * min(0, x).
/// </summary>
public static class PReluReference
{
    public static double[] Forward(double[] x, TensorShape shape, double[] slope)
    {
        var y = new double[x.Length];
        Visit(shape, slope.Length, (i, c) => y[i] = Math.Max(0, x[i]) + slope[c] * Math.Min(0, x[i]));
        return y;
    }

    /// <summary>(dx, dslope) for upstream gradient dy.</summary>
    public static (double[] Dx, double[] Dslope) Backward(double[] x, TensorShape shape, double[] slope, double[] dy)
    {
        var dx = new double[x.Length];
        var dslope = new double[slope.Length];
        Visit(shape, slope.Length, (i, c) =>
        {
            dx[i] = dy[i] * (x[i] > 0 ? 1 : x[i] < 0 ? slope[c] : 0);
            dslope[c] += dy[i] * Math.Min(0, x[i]);
        });
        return (dx, dslope);
    }

    /// <summary>Calls term(flat index, slope index) for every element of an [N, C, ...] tensor.</summary>
    private static void Visit(TensorShape shape, int slopeCount, Action<int, int> term)
    {
        int n = shape[0], channels = shape[1];
        int inner = shape.ElementCount / (n * channels);
        for (int b = 0; b < n; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < inner; p++)
                    term((b * channels + c) * inner + p, slopeCount == 1 ? 0 : c);
    }
}
