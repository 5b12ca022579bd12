using VisionPlugin.Engine.Losses;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// The losses in double precision, written from their textbook definitions (log of a softmax
/// probability, log of a sigmoid, p log(p/q)); gradients by hand from those definitions.
/// </summary>
public static class LossReference
{
    /// <summary>Cross-entropy of softmax(logits [n, k]) against labels or soft targets [n, k].</summary>
    public static double CrossEntropy(double[] logits, int n, int k, int[]? labels, double[]? targets, LossReduction reduction)
    {
        double total = 0;
        for (int row = 0; row < n; row++)
        {
            double[] logP = LogSoftmaxRow(logits, row, k);
            if (labels is not null) total -= logP[labels[row]];
            else for (int c = 0; c < k; c++) total -= targets![row * k + c] * logP[c];
        }
        return reduction == LossReduction.Sum ? total : total / n;
    }

    /// <summary>dL/dlogits: softmax - onehot (hard) or softmax * sum(t) - t (soft), times the reduction factor.</summary>
    public static double[] CrossEntropyBackward(double[] logits, int n, int k, int[]? labels, double[]? targets, LossReduction reduction)
    {
        double factor = reduction == LossReduction.Sum ? 1 : 1.0 / n;
        var grad = new double[n * k];
        for (int row = 0; row < n; row++)
        {
            double[] logP = LogSoftmaxRow(logits, row, k);
            double targetSum = labels is not null ? 1 : Enumerable.Range(0, k).Sum(c => targets![row * k + c]);
            for (int c = 0; c < k; c++)
            {
                double target = labels is not null ? (labels[row] == c ? 1 : 0) : targets![row * k + c];
                grad[row * k + c] = factor * (Math.Exp(logP[c]) * targetSum - target);
            }
        }
        return grad;
    }

    /// <summary>Element-wise loss terms summed with the reduction factor; kind as in the shaders (0 BCE, 1 MSE, 2 KL).</summary>
    public static double Elementwise(int kind, double[] x, double[] t, int batch, LossReduction reduction)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += Term(kind, x[i], t[i]);
        return total * Factor(reduction, x.Length, batch);
    }

    public static double[] ElementwiseBackward(int kind, double[] x, double[] t, int batch, LossReduction reduction)
    {
        double factor = Factor(reduction, x.Length, batch);
        var grad = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double sigmoid = 1 / (1 + Math.Exp(-x[i]));
            grad[i] = factor * kind switch
            {
                0 => sigmoid - t[i],        // d/dx -[t log s + (1-t) log(1-s)] = s - t
                1 => 2 * (x[i] - t[i]),
                _ => -t[i],                 // d/dx t (log t - x)
            };
        }
        return grad;
    }

    private static double Term(int kind, double x, double t)
    {
        switch (kind)
        {
            case 0:
                double s = 1 / (1 + Math.Exp(-x));
                return -(t * Math.Log(s) + (1 - t) * Math.Log(1 - s));
            case 1:
                return (x - t) * (x - t);
            default:
                return t == 0 ? 0 : t * Math.Log(t / Math.Exp(x));   // p log(p / q), x = log q
        }
    }

    private static double Factor(LossReduction reduction, int count, int batch) => reduction switch
    {
        LossReduction.Sum => 1,
        LossReduction.BatchMean => 1.0 / batch,
        _ => 1.0 / count,
    };

    private static double[] LogSoftmaxRow(double[] logits, int row, int k)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < k; c++) max = Math.Max(max, logits[row * k + c]);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.Exp(logits[row * k + c] - max);
        double lse = max + Math.Log(sum);
        var logP = new double[k];
        for (int c = 0; c < k; c++) logP[c] = logits[row * k + c] - lse;
        return logP;
    }
}
