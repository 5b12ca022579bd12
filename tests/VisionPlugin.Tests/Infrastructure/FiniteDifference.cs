using VisionPlugin.Engine;

namespace VisionPlugin.Tests;

/// <summary>
/// Central finite differences in double precision: for L(v) = sum_i f(v)_i * g_i,
/// dL/dv_j ~ (L(v + h e_j) - L(v - h e_j)) / 2h. Checks an analytic (reference) backward against it.
/// </summary>
public static class FiniteDifference
{
    /// <summary>Numerical gradient of sum(forward(v) * gradOutput) with respect to every element of v.</summary>
    public static double[] Gradient(Func<double[], double[]> forward, double[] point, double[] gradOutput, double step = 1e-6)
    {
        var x = (double[])point.Clone();
        var gradient = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double saved = x[j];
            x[j] = saved + step;
            double plus = Dot(forward(x), gradOutput);
            x[j] = saved - step;
            double minus = Dot(forward(x), gradOutput);
            x[j] = saved;
            gradient[j] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>Asserts the analytic gradient equals the numerical one (double precision; tight tolerance).</summary>
    public static void Check(string op, string parameters, string wrt, TensorShape shape, Func<double[], double[]> forward,
        double[] point, double[] gradOutput, double[] analytic, double atol = 1e-6, double rtol = 1e-5)
    {
        double[] numeric = Gradient(forward, point, gradOutput);
        TensorAssert.Close($"{op} backward wrt {wrt} vs finite differences", parameters, shape, numeric, analytic, atol, rtol);
    }

    private static double Dot(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Finite difference: output has {a.Length} values, gradOutput {b.Length}.");
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
