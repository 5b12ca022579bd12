using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>Maxout ([N,C,...] -> [N,C/k,...], consecutive channel groups) proven three ways, ties included.</summary>
[Collection("Gpu")]
public sealed class MaxoutTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, pieces k).</summary>
    public static TheoryData<string, int[], int> Cases => new()
    {
        { "k 2", [2, 6, 7, 5], 2 },
        { "k 3", [2, 6, 7, 5], 3 },
        { "k = C", [2, 6, 7, 5], 6 },
        { "k 1 (identity)", [2, 3, 7, 5], 1 },
        { "rank 2 [N,C]", [3, 8], 4 },
    };

    /// <summary>Many work groups: GPU indexing far from element 0 (too large for finite differences).</summary>
    public static TheoryData<string, int[], int> LargeCases => new()
    {
        { "many work groups", [2, 32, 33, 35], 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(LargeCases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims, int pieces)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = Maxout.OutputShape(xs, pieces);
        double[] x = TestData.RoundToFloat(TestData.Distinct(1, xs.ElementCount));
        Run(name, pieces, xs, ys, x, TestData.RoundToFloat(TestData.Uniform(2, ys.ElementCount)));
    }

    [Fact]
    public void Ties_send_the_gradient_to_the_first_maximum()
    {
        var xs = new TensorShape(2, 6, 3, 3);
        // Values from {-1, 0, 1}: plenty of ties inside every group of 3 channels.
        double[] x = TestData.Uniform(5, xs.ElementCount).Select(v => (double)Math.Round(v)).ToArray();
        Run("ties, values in {-1,0,1}", 3, xs, Maxout.OutputShape(xs, 3), x, TestData.RoundToFloat(TestData.Uniform(6, xs.ElementCount / 3)));
    }

    private void Run(string name, int pieces, TensorShape xs, TensorShape ys, double[] x, double[] dy)
    {
        string parameters = $"{name}; pieces {pieces}";
        double[] dxRef = MaxoutReference.Backward(x, xs, pieces, dy);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            Maxout.Forward(xt, yt, pieces);
            TensorAssert.Close("Maxout forward", parameters, ys, MaxoutReference.Forward(x, xs, pieces), yt.ToArray(), 0, 0);
            dxt.Fill(float.NaN);
            Maxout.Backward(xt, dyt, dxt, pieces);
            TensorAssert.Close("Maxout backward", parameters, xs, dxRef, dxt.ToArray(), 0, 0);
            Maxout.Backward(xt, dyt, dxt, pieces, accumulate: true);
            TensorAssert.Close("Maxout backward (accumulated twice)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), 0, 0);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, int pieces)
    {
        var xs = new TensorShape(inDims);
        double[] x = TestData.Distinct(11, xs.ElementCount); // no ties: the max is differentiable
        double[] dy = TestData.Uniform(12, xs.ElementCount / pieces);
        FiniteDifference.Check("Maxout", $"{name}; pieces {pieces}", "input", xs,
            v => MaxoutReference.Forward(v, xs, pieces), x, dy, MaxoutReference.Backward(x, xs, pieces, dy));
    }

    [Fact]
    public void Channels_not_divisible_by_pieces_are_refused_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => Maxout.OutputShape(new TensorShape(2, 7, 4, 4), 3));
        Assert.Contains("7", e.Message);
        Assert.Contains("pieces 3", e.Message);
        Assert.Contains("[2,7,4,4]", e.Message);
        Assert.Equal("pieces", e.ParamName);
        Assert.ThrowsAny<ArgumentException>(() => Maxout.OutputShape(new TensorShape(2, 6, 4, 4), 0));
        Assert.Throws<ArgumentException>(() => Maxout.OutputShape(new TensorShape(6), 2));
    }

    [Fact]
    public void Wrong_output_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 6, 7, 5);
            using var y = new Tensor(ctx, 2, 2, 7, 5);
            var e = Assert.Throws<ArgumentException>(() => Maxout.Forward(x, y, 2));
            Assert.Contains("[2,3,7,5]", e.Message);
            Assert.Contains("[2,2,7,5]", e.Message);
        });
    }
}
