using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Batch normalization in double precision over axis 1 of [N, C, ...], straight from Ioffe &amp; Szegedy (2015):
/// mean and biased variance per channel over the M = N * S values, xhat = (x - mean) / sqrt(var + eps),
/// y = gamma * xhat + beta. The training backward follows the paper's step-by-step chain rule
/// (dxhat, dvar, dmean), a different formulation from the GPU's compact one.
/// </summary>
public static class BatchNormReference
{
    /// <summary>(mean, biased variance, unbiased variance) per channel.</summary>
    public static (double[] Mean, double[] Variance, double[] Unbiased) Statistics(double[] x, TensorShape shape)
    {
        var (n, c, s) = Dims(shape);
        var mean = new double[c];
        var variance = new double[c];
        var unbiased = new double[c];
        int m = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            foreach (int i in Indices(n, c, s, ch)) sum += x[i];
            mean[ch] = sum / m;
            double squares = 0;
            foreach (int i in Indices(n, c, s, ch)) squares += (x[i] - mean[ch]) * (x[i] - mean[ch]);
            variance[ch] = squares / m;
            unbiased[ch] = m > 1 ? squares / (m - 1) : double.NaN;
        }
        return (mean, variance, unbiased);
    }

    /// <summary>y = gamma * (x - mean[c]) / sqrt(var[c] + eps) + beta for given per-channel statistics.</summary>
    public static double[] Normalize(double[] x, TensorShape shape, double[] mean, double[] variance, double[] gamma, double[] beta, double eps)
    {
        var (n, c, s) = Dims(shape);
        var y = new double[x.Length];
        for (int ch = 0; ch < c; ch++)
            foreach (int i in Indices(n, c, s, ch))
                y[i] = gamma[ch] * (x[i] - mean[ch]) / Math.Sqrt(variance[ch] + eps) + beta[ch];
        return y;
    }

    /// <summary>Training forward (batch statistics): (y, xhat, 1/sqrt(var + eps)).</summary>
    public static (double[] Y, double[] Xhat, double[] InverseStd) ForwardTraining(double[] x, TensorShape shape, double[] gamma, double[] beta, double eps)
    {
        var (mean, variance, _) = Statistics(x, shape);
        int c = shape[1];
        double[] ones = Enumerable.Repeat(1.0, c).ToArray();
        double[] xhat = Normalize(x, shape, mean, variance, ones, new double[c], eps);
        double[] y = Normalize(x, shape, mean, variance, gamma, beta, eps);
        return (y, xhat, variance.Select(v => 1 / Math.Sqrt(v + eps)).ToArray());
    }

    /// <summary>Running statistics after one training step (PyTorch): r = (1 - m) r + m * batch, the variance unbiased.</summary>
    public static void UpdateRunning(double[] runningMean, double[] runningVar, double[] x, TensorShape shape, double momentum)
    {
        var (mean, _, unbiased) = Statistics(x, shape);
        for (int ch = 0; ch < runningMean.Length; ch++)
        {
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean[ch];
            runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * unbiased[ch];
        }
    }

    /// <summary>Training backward, the paper's chain: (dx, dgamma, dbeta).</summary>
    public static (double[] Dx, double[] Dgamma, double[] Dbeta) BackwardTraining(double[] x, TensorShape shape, double[] gamma, double[] dy, double eps)
    {
        var (n, c, s) = Dims(shape);
        var (mean, variance, _) = Statistics(x, shape);
        var dx = new double[x.Length];
        var dgamma = new double[c];
        var dbeta = new double[c];
        double m = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            double std = Math.Sqrt(variance[ch] + eps);
            double dvar = 0, dmean = 0, sumCentered = 0;
            foreach (int i in Indices(n, c, s, ch))
            {
                double xhat = (x[i] - mean[ch]) / std;
                dgamma[ch] += dy[i] * xhat;                      // y = gamma * xhat + beta
                dbeta[ch] += dy[i];
                double dxhat = dy[i] * gamma[ch];
                dvar += dxhat * (x[i] - mean[ch]) * -0.5 * Math.Pow(variance[ch] + eps, -1.5);
                dmean += -dxhat / std;
                sumCentered += -2 * (x[i] - mean[ch]);
            }
            dmean += dvar * sumCentered / m;                     // var = (1/m) sum (x - mean)^2 also depends on mean
            foreach (int i in Indices(n, c, s, ch))
                dx[i] = dy[i] * gamma[ch] / std + dvar * 2 * (x[i] - mean[ch]) / m + dmean / m;
        }
        return (dx, dgamma, dbeta);
    }

    /// <summary>Inference backward (the affine map with running statistics): (dx, dgamma, dbeta).</summary>
    public static (double[] Dx, double[] Dgamma, double[] Dbeta) BackwardInference(double[] x, TensorShape shape, double[] gamma,
        double[] runningMean, double[] runningVar, double[] dy, double eps)
    {
        var (n, c, s) = Dims(shape);
        var dx = new double[x.Length];
        var dgamma = new double[c];
        var dbeta = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double std = Math.Sqrt(runningVar[ch] + eps);
            foreach (int i in Indices(n, c, s, ch))
            {
                // y = gamma * (x - runningMean) / std + beta
                dx[i] = dy[i] * gamma[ch] / std;
                dgamma[ch] += dy[i] * (x[i] - runningMean[ch]) / std;
                dbeta[ch] += dy[i];
            }
        }
        return (dx, dgamma, dbeta);
    }

    /// <summary>(N, C, S) with S the product of the axes after C.</summary>
    public static (int N, int C, int S) Dims(TensorShape shape)
    {
        int s = 1;
        for (int axis = 2; axis < shape.Rank; axis++) s *= shape[axis];
        return (shape[0], shape[1], s);
    }

    /// <summary>Flat indices of channel <paramref name="ch"/>'s values.</summary>
    private static IEnumerable<int> Indices(int n, int c, int s, int ch)
    {
        for (int b = 0; b < n; b++)
            for (int p = 0; p < s; p++) yield return (b * c + ch) * s + p;
    }
}
