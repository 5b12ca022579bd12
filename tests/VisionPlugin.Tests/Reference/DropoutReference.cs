using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Inverted dropout and DropConnect in double precision. The masks are rebuilt from the counter RNG
/// (<see cref="CounterRandom"/>, bit-exact with the shaders): element i of stream s is kept when
/// Uniform(s, i) &gt;= p; the layers' per-step stream is PcgHash(PcgHash(layerSeed) + step).
/// </summary>
public static class DropoutReference
{
    /// <summary>keep[i] = Uniform(stream, i) &gt;= p for i in [0, count).</summary>
    public static bool[] Mask(uint stream, int count, float p)
    {
        var keep = new bool[count];
        for (int i = 0; i < count; i++) keep[i] = CounterRandom.Uniform(stream, (uint)i) >= p;
        return keep;
    }

    /// <summary>The stream a layer uses at <paramref name="step"/>.</summary>
    public static uint LayerStream(uint layerSeed, long step) =>
        CounterRandom.PcgHash(unchecked(CounterRandom.PcgHash(layerSeed) + (uint)step));

    /// <summary>y = x * keep / (1 - p).</summary>
    public static double[] Forward(double[] x, bool[] keep, double p) =>
        x.Select((v, i) => keep[i] ? v / (1 - p) : 0.0).ToArray();

    /// <summary>dx = dy * keep / (1 - p) (the forward is linear in x).</summary>
    public static double[] Backward(double[] dy, bool[] keep, double p) => Forward(dy, keep, p);

    /// <summary>
    /// DropConnect linear: y[n,o] = b[o] + sum_i x[n,i] * W[o,i] * keep[o*IN+i] / (1 - p); keep null means no mask (inference).
    /// </summary>
    public static double[] DropConnectForward(double[] x, int batch, double[] w, int outFeatures, double[]? b, bool[]? keep, double p)
    {
        int inFeatures = w.Length / outFeatures;
        var y = new double[batch * outFeatures];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b?[o] ?? 0;
                for (int i = 0; i < inFeatures; i++) sum += x[n * inFeatures + i] * EffectiveWeight(w, keep, p, o * inFeatures + i);
                y[n * outFeatures + o] = sum;
            }
        return y;
    }

    /// <summary>(dx, dW, db) of <see cref="DropConnectForward"/> for upstream dy, as the scatter of each product.</summary>
    public static (double[] Dx, double[] Dw, double[] Db) DropConnectBackward(double[] x, int batch, double[] w, int outFeatures,
        bool[]? keep, double p, double[] dy)
    {
        int inFeatures = w.Length / outFeatures;
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[outFeatures];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outFeatures; o++)
            {
                double g = dy[n * outFeatures + o];
                db[o] += g;
                for (int i = 0; i < inFeatures; i++)
                {
                    int wi = o * inFeatures + i;
                    // y[n,o] += x[n,i] * W[o,i] * keep / (1-p)
                    dx[n * inFeatures + i] += g * EffectiveWeight(w, keep, p, wi);
                    dw[wi] += g * x[n * inFeatures + i] * (keep is null ? 1 : keep[wi] ? 1 / (1 - p) : 0);
                }
            }
        return (dx, dw, db);
    }

    /// <summary>W ∘ M / (1 - p), or W when no mask.</summary>
    public static double[] MaskedWeight(double[] w, bool[] keep, double p) =>
        w.Select((v, i) => EffectiveWeight(w, keep, p, i)).ToArray();

    private static double EffectiveWeight(double[] w, bool[]? keep, double p, int index) =>
        keep is null ? w[index] : keep[index] ? w[index] / (1 - p) : 0;
}
