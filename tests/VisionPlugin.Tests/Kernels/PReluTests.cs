using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>PReLU proven three ways, for the input gradient and the (accumulated) slope gradient.</summary>
[Collection("Gpu")]
public sealed class PReluTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, slope shape).</summary>
    public static TheoryData<string, int[], int[]> Cases => new()
    {
        { "per channel [C]", [2, 3, 7, 5], [3] },
        { "shared [1]", [2, 3, 7, 5], [1] },
        { "ONNX slope [C,1,1]", [2, 4, 5, 3], [4, 1, 1] },
        { "rank 2 [N,C]", [5, 6], [6] },
        { "single channel", [3, 1, 4, 4], [1] },
    };

    /// <summary>Many work groups: GPU indexing far from element 0 (too large for finite differences).</summary>
    public static TheoryData<string, int[], int[]> LargeCases => new()
    {
        { "many work groups", [2, 16, 33, 35], [16] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(LargeCases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims, int[] slopeDims)
    {
        var xs = new TensorShape(inDims);
        var ss = new TensorShape(slopeDims);
        double[] x = TestData.RoundToFloat(TestData.AwayFromZero(1, xs.ElementCount, 0.05, 2));
        double[] slope = TestData.RoundToFloat(TestData.Uniform(2, ss.ElementCount, -0.3, 0.6));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(3, xs.ElementCount));
        string parameters = $"{name}; slope {ss}";
        double[] yRef = PReluReference.Forward(x, xs, slope);
        var (dxRef, dslopeRef) = PReluReference.Backward(x, xs, slope, dy);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var st = Tensor.FromData(ctx, ss, TestData.ToFloat(slope));
            using var yt = new Tensor(ctx, xs);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dst = new Tensor(ctx, ss);

            PRelu.Forward(xt, st, yt);
            TensorAssert.Close("PRelu forward", parameters, xs, yRef, yt.ToArray(), 1e-6, 1e-5);

            dxt.Fill(float.NaN); // overwritten, not accumulated
            PRelu.Backward(xt, st, dyt, dxt, dst);
            TensorAssert.Close("PRelu backward input", parameters, xs, dxRef, dxt.ToArray(), 1e-6, 1e-5);
            TensorAssert.Close("PRelu backward slope", parameters, ss, dslopeRef, dst.ToArray(), 1e-4, 1e-4);

            // The slope gradient always accumulates; the input gradient only when asked.
            PRelu.Backward(xt, st, dyt, dxt, dst, accumulate: true);
            TensorAssert.Close("PRelu backward input (accumulated twice)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), 1e-6, 1e-5);
            TensorAssert.Close("PRelu backward slope (accumulated twice)", parameters, ss, dslopeRef.Select(v => 2 * v).ToArray(), dst.ToArray(), 1e-4, 1e-4);

            // A frozen slope: no slope gradient, the input gradient unchanged.
            PRelu.Backward(xt, st, dyt, dxt, gradSlope: null);
            TensorAssert.Close("PRelu backward input (frozen slope)", parameters, xs, dxRef, dxt.ToArray(), 1e-6, 1e-5);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, int[] slopeDims)
    {
        var xs = new TensorShape(inDims);
        var ss = new TensorShape(slopeDims);
        double[] x = TestData.AwayFromZero(11, xs.ElementCount, 0.05, 2);
        double[] slope = TestData.Uniform(12, ss.ElementCount, -0.3, 0.6);
        double[] dy = TestData.Uniform(13, xs.ElementCount);
        string parameters = $"{name}; slope {ss}";
        var (dx, dslope) = PReluReference.Backward(x, xs, slope, dy);
        FiniteDifference.Check("PRelu", parameters, "input", xs, v => PReluReference.Forward(v, xs, slope), x, dy, dx);
        FiniteDifference.Check("PRelu", parameters, "slope", ss, v => PReluReference.Forward(x, xs, v), slope, dy, dslope);
    }

    [Fact]
    public void Slope_with_the_wrong_count_is_refused_naming_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => PRelu.SlopeCount(new TensorShape(2, 3, 7, 5), new TensorShape(2)));
        Assert.Contains("[2,3,7,5]", e.Message);
        Assert.Contains("[2]", e.Message);
        Assert.Equal("slope", e.ParamName);
        Assert.Throws<ArgumentException>(() => PRelu.SlopeCount(new TensorShape(6), new TensorShape(1)));
    }

    [Fact]
    public void Mismatched_tensors_are_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 7, 5);
            using var slope = new Tensor(ctx, 3);
            using var y = new Tensor(ctx, 2, 3, 7, 4);
            using var dx = new Tensor(ctx, 2, 3, 7, 5);
            using var dslope = new Tensor(ctx, 1);
            var e = Assert.Throws<ArgumentException>(() => PRelu.Forward(x, slope, y));
            Assert.Contains("[2,3,7,4]", e.Message);
            Assert.Contains("[2,3,7,5]", e.Message);
            e = Assert.Throws<ArgumentException>(() => PRelu.Backward(x, slope, dx, dx, dslope));
            Assert.Equal("gradSlope", e.ParamName);
            Assert.Contains("[3]", e.Message);
        });
    }
}
