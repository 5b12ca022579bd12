using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// CReLU in double precision: y = concat(relu(x), relu(-x)) along axis 1, [N, C, ...] -> [N, 2C, ...].
/// Backward scatters each output gradient to its source: dx += dy[pos] where x &gt; 0, dx -= dy[neg] where x &lt; 0.
/// </summary>
public static class CReluReference
{
    public static double[] Forward(double[] x, TensorShape shape)
    {
        var y = new double[2 * x.Length];
        Visit(shape, (xi, pos, neg) =>
        {
            y[pos] = Math.Max(0, x[xi]);
            y[neg] = Math.Max(0, -x[xi]);
        });
        return y;
    }

    public static double[] Backward(double[] x, TensorShape shape, double[] dy)
    {
        var dx = new double[x.Length];
        Visit(shape, (xi, pos, neg) =>
        {
            if (x[xi] > 0) dx[xi] += dy[pos];     // d max(0, x) / dx = 1 for x > 0
            if (x[xi] < 0) dx[xi] -= dy[neg];     // d max(0, -x) / dx = -1 for x < 0
        });
        return dx;
    }

    /// <summary>Calls term(input index, index of relu(x), index of relu(-x)).</summary>
    private static void Visit(TensorShape shape, Action<int, int, int> term)
    {
        int n = shape[0], channels = shape[1];
        int inner = shape.ElementCount / (n * channels);
        for (int b = 0; b < n; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < inner; p++)
                    term((b * channels + c) * inner + p, (b * 2 * channels + c) * inner + p, (b * 2 * channels + channels + c) * inner + p);
    }
}
