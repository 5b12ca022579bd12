using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Softmax and log-softmax along an axis in double precision. Forward subtracts the maximum;
/// backward multiplies dy by the explicit Jacobian, J[j,l] = dy_j/dx_l = y_j (delta_jl - y_l) for
/// softmax and delta_jl - softmax_l for log-softmax (a different formulation from the GPU's
/// closed form y * (dy - sum dy*y)).
/// </summary>
public static class SoftmaxReference
{
    public static double[] Forward(double[] x, TensorShape shape, int axis, bool logarithm)
    {
        var y = new double[x.Length];
        foreach (int[] row in Rows(shape, axis))
        {
            double max = row.Max(i => x[i]);
            double sum = row.Sum(i => Math.Exp(x[i] - max));
            foreach (int i in row) y[i] = logarithm ? x[i] - max - Math.Log(sum) : Math.Exp(x[i] - max) / sum;
        }
        return y;
    }

    /// <summary>dx = J^T dy, row by row, from the forward output y.</summary>
    public static double[] Backward(double[] y, double[] dy, TensorShape shape, int axis, bool logarithm)
    {
        var dx = new double[y.Length];
        foreach (int[] row in Rows(shape, axis))
        {
            for (int l = 0; l < row.Length; l++)
            {
                double sum = 0;
                for (int j = 0; j < row.Length; j++)
                {
                    double delta = j == l ? 1 : 0;
                    double jacobian = logarithm
                        ? delta - Math.Exp(y[row[l]])               // d(x_j - lse)/dx_l
                        : y[row[j]] * (delta - y[row[l]]);          // d softmax_j / dx_l
                    sum += dy[row[j]] * jacobian;
                }
                dx[row[l]] = sum;
            }
        }
        return dx;
    }

    /// <summary>The flat indices of every row along <paramref name="axis"/>.</summary>
    public static IEnumerable<int[]> Rows(TensorShape shape, int axis)
    {
        if (axis < 0) axis += shape.Rank;
        int outer = 1, inner = 1, length = shape[axis];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Rank; i++) inner *= shape[i];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                yield return Enumerable.Range(0, length).Select(l => (o * length + l) * inner + i).ToArray();
    }
}
