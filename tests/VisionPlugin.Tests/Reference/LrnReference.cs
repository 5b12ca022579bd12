using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// ONNX LRN in double precision, written from the operator definition:
/// square_sum[n,c,p] = sum over c' in [max(0, c - floor((size-1)/2)), min(C-1, c + ceil((size-1)/2))] of x[n,c',p]^2,
/// y = x / (bias + alpha / size * square_sum)^beta. Backward is the scatter (adjoint) of that expression,
/// a different form from the GPU's gather.
/// </summary>
public static class LrnReference
{
    public static (double[] Y, double[] Denominator) Forward(double[] x, TensorShape shape, LrnOptions o)
    {
        var (n, c, s) = BatchNormReference.Dims(shape);
        var y = new double[x.Length];
        var d = new double[x.Length];
        int before = (o.Size - 1) / 2;                                   // floor((size-1)/2)
        int after = (int)Math.Ceiling((o.Size - 1) / 2.0);               // ceil((size-1)/2)
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int p = 0; p < s; p++)
        {
            double squareSum = 0;
            for (int k = Math.Max(0, ch - before); k <= Math.Min(c - 1, ch + after); k++)
                squareSum += x[(b * c + k) * s + p] * x[(b * c + k) * s + p];
            int i = (b * c + ch) * s + p;
            d[i] = (double)o.Bias + (double)o.Alpha / o.Size * squareSum;
            y[i] = x[i] / Math.Pow(d[i], o.Beta);
        }
        return (y, d);
    }

    /// <summary>dx for upstream gradient dy: each y[c] = x[c] * d[c]^-beta scatters into x[c] and every x[k] in its window.</summary>
    public static double[] Backward(double[] x, TensorShape shape, double[] dy, LrnOptions o)
    {
        var (n, c, s) = BatchNormReference.Dims(shape);
        var (_, d) = Forward(x, shape, o);
        var dx = new double[x.Length];
        int before = (o.Size - 1) / 2;
        int after = (int)Math.Ceiling((o.Size - 1) / 2.0);
        double alphaOverSize = (double)o.Alpha / o.Size, beta = o.Beta;
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int p = 0; p < s; p++)
        {
            int i = (b * c + ch) * s + p;
            // y[i] = x[i] * d[i]^(-beta): direct term, then d[i] = bias + alpha/size * sum_k x[k]^2.
            dx[i] += dy[i] * Math.Pow(d[i], -beta);
            double dd = dy[i] * x[i] * -beta * Math.Pow(d[i], -beta - 1);
            for (int k = Math.Max(0, ch - before); k <= Math.Min(c - 1, ch + after); k++)
            {
                int j = (b * c + k) * s + p;
                dx[j] += dd * alphaOverSize * 2 * x[j];
            }
        }
        return dx;
    }
}
