namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Weight normalization in double precision: w[k, j] = g[k] * v[k, j] / ||v_k|| over rows k of v [K, L].
/// Backward through the Jacobian dw[k,j]/dv[k,i] = g (delta_ij / ||v|| - v_i v_j / ||v||^3) and
/// dw[k,j]/dg[k] = v_j / ||v|| (summed against dw), rather than the projection form the GPU uses.
/// </summary>
public static class WeightNormReference
{
    public static (double[] W, double[] Norms) Forward(double[] v, double[] g)
    {
        int k = g.Length, l = v.Length / k;
        var w = new double[v.Length];
        var norms = new double[k];
        for (int r = 0; r < k; r++)
        {
            double sum = 0;
            for (int j = 0; j < l; j++) sum += v[r * l + j] * v[r * l + j];
            norms[r] = Math.Sqrt(sum);
            for (int j = 0; j < l; j++) w[r * l + j] = g[r] * v[r * l + j] / norms[r];
        }
        return (w, norms);
    }

    /// <summary>(dv, dg) for upstream dw.</summary>
    public static (double[] Dv, double[] Dg) Backward(double[] v, double[] g, double[] dw)
    {
        int k = g.Length, l = v.Length / k;
        var (_, norms) = Forward(v, g);
        var dv = new double[v.Length];
        var dg = new double[k];
        for (int r = 0; r < k; r++)
        {
            double norm = norms[r], norm3 = norm * norm * norm;
            for (int j = 0; j < l; j++)
            {
                double upstream = dw[r * l + j];
                dg[r] += upstream * v[r * l + j] / norm;
                for (int i = 0; i < l; i++)
                {
                    double jacobian = g[r] * ((i == j ? 1 / norm : 0) - v[r * l + i] * v[r * l + j] / norm3);
                    dv[r * l + i] += upstream * jacobian;
                }
            }
        }
        return (dv, dg);
    }
}
