using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>CReLU ([N,C,...] -> [N,2C,...]) proven three ways.</summary>
[Collection("Gpu")]
public sealed class CReluTests(GpuFixture gpu)
{
    public static TheoryData<string, int[]> Cases => new()
    {
        { "odd NCHW", [2, 3, 7, 5] },
        { "rank 2 [N,C]", [4, 5] },
        { "one channel", [3, 1, 2, 9] },
    };

    /// <summary>Many work groups: GPU indexing far from element 0 (too large for finite differences).</summary>
    public static TheoryData<string, int[]> LargeCases => new()
    {
        { "many work groups", [2, 16, 33, 35] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(LargeCases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = CRelu.OutputShape(xs);
        double[] x = TestData.RoundToFloat(TestData.AwayFromZero(1, xs.ElementCount, 0.05, 2));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(2, ys.ElementCount));
        double[] dxRef = CReluReference.Backward(x, xs, dy);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            CRelu.Forward(xt, yt);
            TensorAssert.Close("CRelu forward", name, ys, CReluReference.Forward(x, xs), yt.ToArray(), 0, 0);
            dxt.Fill(float.NaN);
            CRelu.Backward(xt, dyt, dxt);
            TensorAssert.Close("CRelu backward", name, xs, dxRef, dxt.ToArray(), 0, 0);
            CRelu.Backward(xt, dyt, dxt, accumulate: true);
            TensorAssert.Close("CRelu backward (accumulated twice)", name, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), 0, 0);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims)
    {
        var xs = new TensorShape(inDims);
        double[] x = TestData.AwayFromZero(11, xs.ElementCount);
        double[] dy = TestData.Uniform(12, 2 * xs.ElementCount);
        FiniteDifference.Check("CRelu", name, "input", xs, v => CReluReference.Forward(v, xs), x, dy, CReluReference.Backward(x, xs, dy));
    }

    [Fact]
    public void Output_shape_doubles_the_channels()
    {
        Assert.Equal(new TensorShape(2, 6, 7, 5), CRelu.OutputShape(new TensorShape(2, 3, 7, 5)));
        Assert.Throws<ArgumentException>(() => CRelu.OutputShape(new TensorShape(7)));
    }

    [Fact]
    public void Wrong_tensors_are_refused_naming_both_shapes()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 7, 5);
            using var y = new Tensor(ctx, 2, 3, 7, 5);
            var e = Assert.Throws<ArgumentException>(() => CRelu.Forward(x, y));
            Assert.Contains("[2,6,7,5]", e.Message);
            Assert.Contains("[2,3,7,5]", e.Message);
            e = Assert.Throws<ArgumentException>(() => CRelu.Backward(x, y, x));
            Assert.Equal("gradOutput", e.ParamName);
        });
    }
}
