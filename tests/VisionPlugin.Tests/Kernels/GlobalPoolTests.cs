using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Global average, max and Lp pooling ([N,C,H,W] -> [N,C,1,1]) proven three ways; the reference is the windowed
/// reference with one window covering the whole plane.
/// </summary>
[Collection("Gpu")]
public sealed class GlobalPoolTests(GpuFixture gpu)
{
    /// <summary>(kind, input shape): kind is "average", "max" or "L&lt;p&gt;".</summary>
    public static TheoryData<string, int[]> Cases
    {
        get
        {
            var data = new TheoryData<string, int[]>();
            foreach (string kind in new[] { "average", "max", "L2", "L3", "L1" })
                foreach (int[] shape in new[] { new[] { 2, 3, 7, 5 }, [1, 2, 9, 6], [2, 5, 1, 3], [1, 3, 1, 1] })
                    data.Add(kind, shape);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string kind, int[] inDims)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = GlobalPool.OutputShape(xs);
        Assert.Equal(new TensorShape(xs.N, xs.C, 1, 1), ys);
        double[] x = TestData.RoundToFloat(kind == "max" ? TestData.Distinct(81, xs.ElementCount) : TestData.AwayFromZero(81, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(82, ys.ElementCount));
        double[] yRef = ReferenceForward(kind, x, xs);
        double[] dxRef = ReferenceBackward(kind, x, xs, dy);
        string op = $"GlobalPool {kind}";

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var argmax = new GpuBuffer(ctx, ys.ElementCount);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            float p = kind.StartsWith('L') ? float.Parse(kind[1..]) : 0f;

            void Backward(bool accumulate)
            {
                if (kind == "average") GlobalPool.AverageBackward(dyt, dxt, accumulate);
                else if (kind == "max") GlobalPool.MaxBackward(dyt, argmax, dxt, accumulate);
                else GlobalPool.LpBackward(xt, yt, dyt, dxt, p, accumulate);
            }

            if (kind == "average") GlobalPool.AverageForward(xt, yt);
            else if (kind == "max") GlobalPool.MaxForward(xt, yt, argmax);
            else GlobalPool.LpForward(xt, yt, p);
            TensorAssert.Close($"{op} forward", "whole plane", ys, yRef, yt.ToArray());
            if (kind == "max")
            {
                int[] argmaxRef = PoolingReference.MaxForward(x, xs, PoolingReference.WholePlane(xs)).Argmax;
                TensorAssert.Close($"{op} argmax", "whole plane", ys, PoolingTests.ToDouble(argmaxRef),
                    PoolingTests.ToDouble(PoolingTests.Download(argmax)), atol: 0, rtol: 0);
            }

            dxt.Fill(123f);
            Backward(accumulate: false);
            TensorAssert.Close($"{op} backward", "whole plane", xs, dxRef, dxt.ToArray());
            Backward(accumulate: true);
            TensorAssert.Close($"{op} backward (accumulated twice)", "whole plane", xs, Array.ConvertAll(dxRef, v => 2 * v), dxt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string kind, int[] inDims)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = GlobalPool.OutputShape(xs);
        double[] x = kind == "max" ? TestData.Distinct(91, xs.ElementCount) : TestData.AwayFromZero(91, xs.ElementCount);
        double[] dy = TestData.Uniform(92, ys.ElementCount);
        FiniteDifference.Check($"GlobalPool {kind}", "whole plane", "input", xs,
            v => ReferenceForward(kind, v, xs), x, dy, ReferenceBackward(kind, x, xs, dy));
    }

    [Fact]
    public void Max_ties_route_the_gradient_to_the_first_element_of_each_plane()
    {
        var xs = new TensorShape(2, 3, 4, 5);
        gpu.Run(ctx =>
        {
            using var xt = new Tensor(ctx, xs);
            xt.Fill(0.5f);
            using var yt = new Tensor(ctx, 2, 3, 1, 1);
            using var argmax = new GpuBuffer(ctx, 6);
            using var dyt = Tensor.FromData(ctx, yt.Shape, [1, 2, 3, 4, 5, 6]);
            using var dxt = new Tensor(ctx, xs);
            GlobalPool.MaxForward(xt, yt, argmax);
            Assert.Equal(new int[6], PoolingTests.Download(argmax));
            GlobalPool.MaxBackward(dyt, argmax, dxt);
            var expected = new double[xs.ElementCount];
            for (int plane = 0; plane < 6; plane++) expected[plane * 20] = plane + 1;
            TensorAssert.Close("GlobalPool max backward (constant input)", "ties", xs, expected, dxt.ToArray(), atol: 0, rtol: 0);
        });
    }

    [Fact]
    public void Lp_of_an_all_zero_plane_has_zero_output_and_zero_gradient()
    {
        var xs = new TensorShape(1, 2, 3, 3);
        gpu.Run(ctx =>
        {
            using var xt = new Tensor(ctx, xs);
            using var yt = new Tensor(ctx, 1, 2, 1, 1);
            using var dyt = Tensor.FromData(ctx, yt.Shape, [1, -1]);
            using var dxt = new Tensor(ctx, xs);
            GlobalPool.LpForward(xt, yt, 3f);
            GlobalPool.LpBackward(xt, yt, dyt, dxt, 3f);
            TensorAssert.Close("GlobalPool L3 forward (zeros)", "y == 0", yt.Shape, new double[2], yt.ToArray(), atol: 0, rtol: 0);
            TensorAssert.Close("GlobalPool L3 backward (zeros)", "y == 0", xs, new double[xs.ElementCount], dxt.ToArray(), atol: 0, rtol: 0);
        });
    }

    private static double[] ReferenceForward(string kind, double[] x, TensorShape xs) => kind switch
    {
        "average" => PoolingReference.AvgForward(x, xs, PoolingReference.WholePlane(xs)),
        "max" => PoolingReference.MaxForward(x, xs, PoolingReference.WholePlane(xs)).Y,
        _ => PoolingReference.LpForward(x, xs, PoolingReference.WholePlane(xs), double.Parse(kind[1..])),
    };

    private static double[] ReferenceBackward(string kind, double[] x, TensorShape xs, double[] dy) => kind switch
    {
        "average" => PoolingReference.AvgBackward(xs, dy, PoolingReference.WholePlane(xs)),
        "max" => PoolingReference.MaxBackward(x, xs, dy, PoolingReference.WholePlane(xs)),
        _ => PoolingReference.LpBackward(x, xs, dy, PoolingReference.WholePlane(xs), double.Parse(kind[1..])),
    };
}
