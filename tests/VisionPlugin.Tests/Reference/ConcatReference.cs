using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Concat in double precision, from the definition: output element with index e along the axis comes from the input
/// j whose range [offset_j, offset_j + size_j) holds e, at e - offset_j, other indices unchanged. Backward routes each
/// output gradient back the same way.
/// </summary>
public static class ConcatReference
{
    public static double[] Forward(IReadOnlyList<double[]> inputs, IReadOnlyList<TensorShape> shapes, int axis)
    {
        TensorShape ys = Concat.OutputShape(shapes, axis);
        var y = new double[ys.ElementCount];
        Visit(shapes, ys, Concat.NormalizeAxis(axis, ys), (yi, j, xi) => y[yi] = inputs[j][xi]);
        return y;
    }

    public static double[][] Backward(IReadOnlyList<TensorShape> shapes, double[] dy, int axis)
    {
        TensorShape ys = Concat.OutputShape(shapes, axis);
        double[][] dx = shapes.Select(s => new double[s.ElementCount]).ToArray();
        Visit(shapes, ys, Concat.NormalizeAxis(axis, ys), (yi, j, xi) => dx[j][xi] += dy[yi]);
        return dx;
    }

    /// <summary>Calls <paramref name="term"/>(outputIndex, inputNumber, inputIndex) for every output element.</summary>
    private static void Visit(IReadOnlyList<TensorShape> shapes, TensorShape ys, int axis, Action<int, int, int> term)
    {
        var index = new int[ys.Rank];
        for (int yi = 0; yi < ys.ElementCount; yi++)
        {
            int rest = yi;
            for (int d = ys.Rank - 1; d >= 0; d--)
            {
                index[d] = rest % ys[d];
                rest /= ys[d];
            }
            int j = 0, along = index[axis];
            while (along >= shapes[j][axis])
            {
                along -= shapes[j][axis];
                j++;
            }
            int xi = 0;
            for (int d = 0; d < ys.Rank; d++) xi = xi * shapes[j][d] + (d == axis ? along : index[d]);
            term(yi, j, xi);
        }
    }
}
