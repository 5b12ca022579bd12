using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Broadcasting Add, Sub, Mul, Div, Max, Min, Pow proven three ways: GPU forward vs reference, GPU backward (both operands, reduced
/// over broadcast axes; overwrite, then accumulate) vs reference, reference backward vs finite differences; plus the
/// layers and the error messages.
/// </summary>
[Collection("Gpu")]
public sealed class ElementwiseTests(GpuFixture gpu)
{
    private static readonly (string Name, int[] A, int[] B)[] ShapePairs =
    [
        ("same shape", [2, 3, 7, 5], [2, 3, 7, 5]),
        ("per-channel [C,1,1]", [2, 3, 4, 5], [3, 1, 1]),
        ("per-channel [1,C,1,1]", [2, 3, 4, 5], [1, 3, 1, 1]),
        ("both broadcast", [2, 1, 4, 1], [1, 3, 1, 5]),
        ("smaller operand first", [3, 1, 1], [2, 3, 4, 5]),
        ("rank 1 vs 4 (last axis)", [5], [2, 3, 4, 5]),
        ("rank 2 vs 3", [4, 1], [3, 1, 5]),
        ("single element", [2, 3, 7, 5], [1]),
    ];

    /// <summary>Every operator with every shape pair.</summary>
    public static TheoryData<BinaryOperator, string, int[], int[]> Cases => Combine(ShapePairs);

    /// <summary>
    /// Also a reduction long enough to be split into partial sums (sum_partials.comp); finite differences skip it,
    /// being the same maths as the per-channel cases, only longer.
    /// </summary>
    public static TheoryData<BinaryOperator, string, int[], int[]> GpuCases =>
        Combine([.. ShapePairs, ("long reduction (split)", [4, 3, 32, 40], [1, 3, 1, 1])]);

    private static TheoryData<BinaryOperator, string, int[], int[]> Combine((string Name, int[] A, int[] B)[] pairs)
    {
        var data = new TheoryData<BinaryOperator, string, int[], int[]>();
        foreach (BinaryOperator op in Enum.GetValues<BinaryOperator>())
            foreach (var (name, a, b) in pairs)
                data.Add(op, name, a, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(GpuCases))]
    public void Forward_and_backward_match_reference_on_gpu(BinaryOperator op, string name, int[] aDims, int[] bDims)
    {
        var aShape = new TensorShape(aDims);
        var bShape = new TensorShape(bDims);
        TensorShape ys = Elementwise.OutputShape(aShape, bShape);
        double[] a = TestData.RoundToFloat(Base(op, 71, aShape.ElementCount));
        double[] b = TestData.RoundToFloat(Divisor(op, 72, bShape.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(73, ys.ElementCount));
        string parameters = $"{name}; {aShape} {op} {bShape}";
        double[] yRef = ElementwiseReference.Forward(op, a, aShape, b, bShape);
        var (daRef, dbRef) = ElementwiseReference.Backward(op, a, aShape, b, bShape, dy);

        gpu.Run(ctx =>
        {
            using var at = Tensor.FromData(ctx, aShape, TestData.ToFloat(a));
            using var bt = Tensor.FromData(ctx, bShape, TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dat = new Tensor(ctx, aShape);
            using var dbt = new Tensor(ctx, bShape);

            Elementwise.Forward(op, at, bt, yt);
            TensorAssert.Close($"{op} forward", parameters, ys, yRef, yt.ToArray(), atol: 1e-6, rtol: 1e-6);

            dat.Fill(123f); // overwritten, not accumulated
            dbt.Fill(-123f);
            Elementwise.Backward(op, at, bt, dyt, dat, dbt);
            TensorAssert.Close($"{op} backward wrt a", parameters, aShape, daRef, dat.ToArray());
            TensorAssert.Close($"{op} backward wrt b", parameters, bShape, dbRef, dbt.ToArray());

            Elementwise.Backward(op, at, bt, dyt, null, dbt, accumulate: true);
            TensorAssert.Close($"{op} backward wrt b (accumulated twice)", parameters, bShape, dbRef.Select(v => 2 * v).ToArray(), dbt.ToArray());
            TensorAssert.Close($"{op} backward wrt a (not requested, unchanged)", parameters, aShape, daRef, dat.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(BinaryOperator op, string name, int[] aDims, int[] bDims)
    {
        var aShape = new TensorShape(aDims);
        var bShape = new TensorShape(bDims);
        TensorShape ys = Elementwise.OutputShape(aShape, bShape);
        double[] a = Base(op, 81, aShape.ElementCount);
        double[] b = Divisor(op, 82, bShape.ElementCount);
        double[] dy = TestData.Uniform(83, ys.ElementCount);
        string parameters = $"{name}; {aShape} {op} {bShape}";
        var (da, db) = ElementwiseReference.Backward(op, a, aShape, b, bShape, dy);
        FiniteDifference.Check(op.ToString(), parameters, "a", aShape, v => ElementwiseReference.Forward(op, v, aShape, b, bShape), a, dy, da);
        FiniteDifference.Check(op.ToString(), parameters, "b", bShape, v => ElementwiseReference.Forward(op, a, aShape, v, bShape), b, dy, db);
    }

    [Fact]
    public void Pow_follows_numpy_for_negative_bases_zero_and_zero_exponents()
    {
        float[] a = [-2f, -2f, -2f, 0f, 0f, 0f, 3f, -1.5f];
        float[] b = [2f, 3f, -1f, 2f, 0f, -1f, 0.5f, 0.5f];
        double[] expected = a.Select((v, i) => Math.Pow(v, b[i])).ToArray();   // 4, -8, -0.5, 0, 1, inf, sqrt 3, NaN
        var shape = new TensorShape(a.Length);
        gpu.Run(ctx =>
        {
            using var at = Tensor.FromData(ctx, shape, a);
            using var bt = Tensor.FromData(ctx, shape, b);
            using var yt = new Tensor(ctx, shape);
            Elementwise.Pow(at, bt, yt);
            float[] y = yt.ToArray();
            Assert.True(float.IsPositiveInfinity(y[5]), $"0^-1 gave {y[5]}");
            expected[5] = 0;
            y[5] = 0;
            TensorAssert.Close("Pow forward", "negative bases, zero, zero exponents", shape, expected, y, atol: 1e-6, rtol: 1e-6);
        });
    }

    [Fact]
    public void SumToShape_reduces_over_broadcast_axes()
    {
        var source = new TensorShape(2, 3, 4, 5);
        var target = new TensorShape(3, 1, 5);
        double[] s = TestData.RoundToFloat(TestData.Uniform(91, source.ElementCount));
        var expected = new double[target.ElementCount];
        for (int i = 0; i < s.Length; i++)
        {
            int w = i % 5, c = i / (5 * 4) % 3;
            expected[c * 5 + w] += -0.5 * s[i];
        }
        gpu.Run(ctx =>
        {
            using var st = Tensor.FromData(ctx, source, TestData.ToFloat(s));
            using var tt = new Tensor(ctx, target);
            Elementwise.SumToShape(st, tt, scale: -0.5f);
            TensorAssert.Close("SumToShape", $"{source} to {target}", target, expected, tt.ToArray());
        });
    }

    [Fact]
    public void Layers_forward_and_backward_match_reference()
    {
        var xs = new TensorShape(2, 3, 4, 5);
        var gate = new TensorShape(2, 3, 1, 1);
        double[] x0 = TestData.RoundToFloat(TestData.Uniform(101, xs.ElementCount));
        double[] x1 = TestData.RoundToFloat(TestData.Uniform(102, xs.ElementCount));
        double[] x2 = TestData.RoundToFloat(TestData.Uniform(103, xs.ElementCount));
        double[] g = TestData.RoundToFloat(Divisor(BinaryOperator.Div, 104, gate.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(105, xs.ElementCount));
        gpu.Run(ctx =>
        {
            using var t0 = Tensor.FromData(ctx, xs, TestData.ToFloat(x0));
            using var t1 = Tensor.FromData(ctx, xs, TestData.ToFloat(x1));
            using var t2 = Tensor.FromData(ctx, xs, TestData.ToFloat(x2));
            using var tg = Tensor.FromData(ctx, gate, TestData.ToFloat(g));
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));

            // Residual sum of three: y = x0 + x1 + x2, every input gradient is dy.
            using var add = new AddLayer("add");
            Tensor y = add.Forward([t0, t1, t2], training: true);
            double[] sum = x0.Select((v, i) => v + x1[i] + x2[i]).ToArray();
            TensorAssert.Close("AddLayer forward (3 inputs)", "same shape", xs, sum, y.ToArray());
            IReadOnlyList<Tensor?> grads = add.Backward(dyt, [true, false, true]);
            Assert.Null(grads[1]);
            TensorAssert.Close("AddLayer backward input 0", "same shape", xs, dy, grads[0]!.ToArray());
            TensorAssert.Close("AddLayer backward input 2", "same shape", xs, dy, grads[2]!.ToArray());

            // Broadcasting add: the [2,3,1,1] input's gradient sums dy over H and W.
            Tensor yb = add.Forward([t0, tg], training: true);
            TensorAssert.Close("AddLayer forward (broadcast)", $"{xs} + {gate}", xs,
                ElementwiseReference.Forward(BinaryOperator.Add, x0, xs, g, gate), yb.ToArray());
            var (_, dgRef) = ElementwiseReference.Backward(BinaryOperator.Add, x0, xs, g, gate, dy);
            grads = add.Backward(dyt, [true, true]);
            TensorAssert.Close("AddLayer backward broadcast input", $"{xs} + {gate}", gate, dgRef, grads[1]!.ToArray());

            foreach (BinaryElementwiseLayer layer in new BinaryElementwiseLayer[] { new SubLayer("sub"), new MulLayer("mul"), new DivLayer("div") })
            {
                using (layer)
                {
                    BinaryOperator op = layer.Operator;
                    string parameters = $"{layer}; {xs} {op} {gate}";
                    Tensor yl = layer.Forward([t1, tg], training: true);
                    TensorAssert.Close($"{op} layer forward", parameters, xs, ElementwiseReference.Forward(op, x1, xs, g, gate), yl.ToArray(), atol: 1e-6, rtol: 1e-6);
                    var (daRef, dbRef) = ElementwiseReference.Backward(op, x1, xs, g, gate, dy);
                    IReadOnlyList<Tensor?> lg = layer.Backward(dyt, [true, true]);
                    TensorAssert.Close($"{op} layer backward wrt a", parameters, xs, daRef, lg[0]!.ToArray());
                    TensorAssert.Close($"{op} layer backward wrt b", parameters, gate, dbRef, lg[1]!.ToArray());
                    Assert.Equal(xs.ElementCount, layer.MultiplyAdds([xs, gate]));
                }
            }
        });
    }

    [Fact]
    public void Incompatible_broadcast_names_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Elementwise.OutputShape(new TensorShape(2, 3, 4, 5), new TensorShape(3, 5)));
        Assert.Contains("[2,3,4,5]", e.Message);
        Assert.Contains("[3,5]", e.Message);
        Assert.Contains("4 and 3", e.Message);

        var layerError = Assert.Throws<ArgumentException>(() => new MulLayer("m").OutputShape([new TensorShape(1, 4, 2, 2), new TensorShape(1, 3, 1, 1)]));
        Assert.Contains("[1,4,2,2]", layerError.Message);
        Assert.Contains("[1,3,1,1]", layerError.Message);
    }

    [Fact]
    public void Rank_above_four_and_unequal_sum_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Elementwise.OutputShape(new TensorShape(1, 2, 3, 4, 5), new TensorShape(5)));
        var e = Assert.Throws<ArgumentException>(() =>
            new AddLayer("sum").OutputShape([new TensorShape(1, 3, 4, 4), new TensorShape(1, 3, 4, 4), new TensorShape(1, 3, 1, 1)]));
        Assert.Contains("[1,3,1,1]", e.Message);
        Assert.Contains("[1,3,4,4]", e.Message);
    }

    [Fact]
    public void Wrong_gradient_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var a = new Tensor(ctx, 2, 3, 4, 5);
            using var b = new Tensor(ctx, 1, 3, 1, 1);
            using var dy = new Tensor(ctx, 2, 3, 4, 5);
            using var wrong = new Tensor(ctx, 3);
            var e = Assert.Throws<ArgumentException>(() => Elementwise.Backward(BinaryOperator.Mul, a, b, dy, null, wrong));
            Assert.Contains("[1,3,1,1]", e.Message);
            Assert.Contains("[3]", e.Message);
        });
    }

    /// <summary>Pow's bases are positive (a^b of a negative base is defined for integral b only, where db is not).</summary>
    private static double[] Base(BinaryOperator op, int seed, int count) =>
        op == BinaryOperator.Pow ? TestData.Uniform(seed, count, 0.5, 1.5) : TestData.Uniform(seed, count);

    /// <summary>Divisors stay at least 0.5 away from zero so the quotient and its finite differences are tame.</summary>
    private static double[] Divisor(BinaryOperator op, int seed, int count) =>
        op == BinaryOperator.Div ? TestData.AwayFromZero(seed, count, margin: 0.5, max: 1.5) : TestData.Uniform(seed, count);
}
