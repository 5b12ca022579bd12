using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Plain loops in double precision for the fully connected layer and the batched matrix product,
/// written straight from the definitions: y[n,o] = b[o] + sum_i x[n,i] * w[o,i].
/// Backward is the scatter of that expression (the adjoint of each product term), a different
/// formulation from the GPU's three matrix products, so agreement means something.
/// </summary>
public static class LinearReference
{
    public static double[] Forward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[]? b)
    {
        int batch = xs[0], inFeatures = xs[1], outFeatures = ws[0];
        var y = new double[batch * outFeatures];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b?[o] ?? 0;
                for (int i = 0; i < inFeatures; i++) sum += x[n * inFeatures + i] * w[o * inFeatures + i];
                y[n * outFeatures + o] = sum;
            }
        return y;
    }

    /// <summary>(dx, dw, db) for upstream gradient dy [N, out].</summary>
    public static (double[] Dx, double[] Dw, double[] Db) Backward(double[] x, TensorShape xs, double[] w, TensorShape ws, double[] dy)
    {
        int batch = xs[0], inFeatures = xs[1], outFeatures = ws[0];
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[outFeatures];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outFeatures; o++)
            {
                double g = dy[n * outFeatures + o];
                // y[n,o] += b[o]  =>  db[o] += dy[n,o]
                db[o] += g;
                for (int i = 0; i < inFeatures; i++)
                {
                    // y[n,o] += x[n,i] * w[o,i]  =>  dx[n,i] += dy[n,o] * w[o,i];  dw[o,i] += dy[n,o] * x[n,i]
                    dx[n * inFeatures + i] += g * w[o * inFeatures + i];
                    dw[o * inFeatures + i] += g * x[n * inFeatures + i];
                }
            }
        return (dx, dw, db);
    }

    /// <summary>
    /// C[b,m,n] = sum_k op(A)[b,m,k] * op(B)[b,k,n] for row-major A [batchA, M, K] (or [batchA, K, M]
    /// transposed) and B [batchB, K, N] (or [batchB, N, K]); a batch count of 1 is broadcast.
    /// </summary>
    public static double[] MatMul(double[] a, int batchA, double[] b, int batchB, int m, int n, int k, bool transposeA, bool transposeB)
    {
        int batch = Math.Max(batchA, batchB);
        var c = new double[batch * m * n];
        for (int bi = 0; bi < batch; bi++)
        {
            int aBase = (batchA == 1 ? 0 : bi) * m * k, bBase = (batchB == 1 ? 0 : bi) * k * n;
            for (int row = 0; row < m; row++)
                for (int col = 0; col < n; col++)
                {
                    double sum = 0;
                    for (int t = 0; t < k; t++)
                    {
                        double av = transposeA ? a[aBase + t * m + row] : a[aBase + row * k + t];
                        double bv = transposeB ? b[bBase + col * k + t] : b[bBase + t * n + col];
                        sum += av * bv;
                    }
                    c[(bi * m + row) * n + col] = sum;
                }
        }
        return c;
    }
}
