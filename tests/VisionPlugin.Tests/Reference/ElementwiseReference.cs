using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Broadcasting binary ops in double precision, from the NumPy definition: the output has, per right-aligned axis,
/// the larger size; an operand of size 1 along an axis is read at index 0 there. Backward scatters each output's
/// partial derivatives to the operand elements it read (the GPU gathers with a split reduction).
/// </summary>
public static class ElementwiseReference
{
    public static double[] Forward(BinaryOperator op, double[] a, TensorShape aShape, double[] b, TensorShape bShape)
    {
        TensorShape ys = Elementwise.OutputShape(aShape, bShape);
        var y = new double[ys.ElementCount];
        Visit(aShape, bShape, ys, (yi, ai, bi) => y[yi] = Apply(op, a[ai], b[bi]));
        return y;
    }

    /// <summary>(da, db) for upstream gradient dy.</summary>
    public static (double[] Da, double[] Db) Backward(BinaryOperator op, double[] a, TensorShape aShape, double[] b, TensorShape bShape, double[] dy)
    {
        TensorShape ys = Elementwise.OutputShape(aShape, bShape);
        var da = new double[a.Length];
        var db = new double[b.Length];
        Visit(aShape, bShape, ys, (yi, ai, bi) =>
        {
            double av = a[ai], bv = b[bi], g = dy[yi];
            switch (op)
            {
                case BinaryOperator.Add: da[ai] += g; db[bi] += g; break;                     // y = a + b
                case BinaryOperator.Sub: da[ai] += g; db[bi] -= g; break;                     // y = a - b
                case BinaryOperator.Mul: da[ai] += g * bv; db[bi] += g * av; break;           // y = a * b
                case BinaryOperator.Div: da[ai] += g / bv; db[bi] -= g * av / (bv * bv); break; // y = a / b
                case BinaryOperator.Max: if (av >= bv) da[ai] += g; else db[bi] += g; break;   // y = max(a, b), a on ties
                case BinaryOperator.Min: if (av <= bv) da[ai] += g; else db[bi] += g; break;   // y = min(a, b), a on ties
                case BinaryOperator.Pow:                                                      // y = a^b
                    da[ai] += g * bv * Math.Pow(av, bv - 1);
                    db[bi] += g * Math.Pow(av, bv) * Math.Log(av);
                    break;
            }
        });
        return (da, db);
    }

    public static double Apply(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Sub => a - b,
        BinaryOperator.Mul => a * b,
        BinaryOperator.Div => a / b,
        BinaryOperator.Max => Math.Max(a, b),
        BinaryOperator.Min => Math.Min(a, b),
        BinaryOperator.Pow => Math.Pow(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Calls <paramref name="term"/>(outputIndex, aIndex, bIndex) for every output element.</summary>
    private static void Visit(TensorShape aShape, TensorShape bShape, TensorShape ys, Action<int, int, int> term)
    {
        var index = new int[ys.Rank];
        for (int yi = 0; yi < ys.ElementCount; yi++)
        {
            int rest = yi;
            for (int axis = ys.Rank - 1; axis >= 0; axis--)
            {
                index[axis] = rest % ys[axis];
                rest /= ys[axis];
            }
            term(yi, Flat(aShape, index), Flat(bShape, index));
        }
    }

    /// <summary>Row-major index into <paramref name="shape"/> of the right-aligned output index, clamping broadcast axes to 0.</summary>
    private static int Flat(TensorShape shape, int[] outputIndex)
    {
        int flat = 0;
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            int i = outputIndex[outputIndex.Length - shape.Rank + axis];
            flat = flat * shape[axis] + (shape[axis] == 1 ? 0 : i);
        }
        return flat;
    }
}
