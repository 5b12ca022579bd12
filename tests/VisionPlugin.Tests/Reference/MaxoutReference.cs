using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Maxout in double precision: view x [N, C, S] as [N, C/k, k, S] and take the max over the k axis,
/// y[n,g,p] = max_j x[n, g*k + j, p]. Backward gives the whole dy[n,g,p] to the lowest j attaining the max.
/// </summary>
public static class MaxoutReference
{
    public static double[] Forward(double[] x, TensorShape shape, int pieces)
    {
        var y = new double[x.Length / pieces];
        Visit(shape, pieces, (o, arg) => y[o] = x[arg], x);
        return y;
    }

    public static double[] Backward(double[] x, TensorShape shape, int pieces, double[] dy)
    {
        var dx = new double[x.Length];
        Visit(shape, pieces, (o, arg) => dx[arg] += dy[o], x);
        return dx;
    }

    /// <summary>Calls term(output index, input index of the first argmax) for every output element.</summary>
    private static void Visit(TensorShape shape, int pieces, Action<int, int> term, double[] x)
    {
        int n = shape[0], channels = shape[1], groups = channels / pieces;
        int inner = shape.ElementCount / (n * channels);
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++)
                for (int p = 0; p < inner; p++)
                {
                    int[] candidates = Enumerable.Range(0, pieces).Select(j => (b * channels + g * pieces + j) * inner + p).ToArray();
                    double best = candidates.Max(i => x[i]);
                    term((b * groups + g) * inner + p, candidates.First(i => x[i] == best));
                }
    }
}
