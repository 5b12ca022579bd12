using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Pad2d (constant, reflect, edge; negative amounts crop) proven three ways: GPU forward vs reference, GPU backward
/// vs reference (overwrite, then accumulate), reference backward vs finite differences.
/// </summary>
[Collection("Gpu")]
public sealed class PadTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, options).</summary>
    public static TheoryData<string, int[], Pad2dOptions> Cases => new()
    {
        { "zero (t1,l2,b0,r3)", [2, 3, 7, 5], Pad2dOptions.Zero(new Padding2d(1, 2, 0, 3)) },
        { "constant 0.5 TF-same (t0,l0,b1,r1)", [1, 2, 6, 6], Pad2dOptions.Constant(new Padding2d(0, 0, 1, 1), 0.5f) },
        { "zero crop (t-1,l-2,b0,r-1)", [2, 3, 7, 5], Pad2dOptions.Zero(new Padding2d(-1, -2, 0, -1)) },
        { "constant -2 pad and crop (t2,l-1,b-3,r1)", [2, 3, 7, 5], Pad2dOptions.Constant(new Padding2d(2, -1, -3, 1), -2f) },
        { "reflect (t2,l1,b3,r2)", [1, 2, 5, 4], Pad2dOptions.Reflect(new Padding2d(2, 1, 3, 2)) },
        { "reflect widest (size-1 on every side)", [1, 1, 3, 4], Pad2dOptions.Reflect(new Padding2d(2, 3, 2, 3)) },
        { "reflect with crop (t-1,l3,b2,r-2)", [2, 3, 7, 5], Pad2dOptions.Reflect(new Padding2d(-1, 3, 2, -2)) },
        { "edge wider than the input (t3,l2,b4,r5)", [2, 3, 4, 3], Pad2dOptions.Edge(new Padding2d(3, 2, 4, 5)) },
        { "edge with crop (t-2,l3,b1,r-1)", [2, 3, 7, 5], Pad2dOptions.Edge(new Padding2d(-2, 3, 1, -1)) },
        { "edge of a one-row input", [1, 2, 1, 3], Pad2dOptions.Edge(new Padding2d(2, 1, 1, 2)) },
        { "constant no-op", [1, 2, 3, 3], Pad2dOptions.Zero(Padding2d.None) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims, Pad2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = Pad2d.OutputShape(xs, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(51, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(52, ys.ElementCount));
        string parameters = $"{name}; {options}";
        double[] yRef = PadReference.Forward(x, xs, options);
        double[] dxRef = PadReference.Backward(xs, dy, options);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            yt.Fill(99f);
            Pad2d.Forward(xt, yt, options);
            TensorAssert.Close("Pad2d forward", parameters, ys, yRef, yt.ToArray(), atol: 0, rtol: 0);

            dxt.Fill(123f); // overwritten, not accumulated
            Pad2d.Backward(dyt, dxt, options);
            TensorAssert.Close("Pad2d backward", parameters, xs, dxRef, dxt.ToArray(), atol: 1e-6, rtol: 1e-6);
            Pad2d.Backward(dyt, dxt, options, accumulate: true);
            TensorAssert.Close("Pad2d backward (accumulated twice)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), atol: 1e-6, rtol: 1e-6);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, Pad2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = Pad2d.OutputShape(xs, options);
        double[] x = TestData.Uniform(61, xs.ElementCount);
        double[] dy = TestData.Uniform(62, ys.ElementCount);
        FiniteDifference.Check("Pad2d", $"{name}; {options}", "input", xs,
            v => PadReference.Forward(v, xs, options), x, dy, PadReference.Backward(xs, dy, options));
    }

    [Fact]
    public void Reflect_and_edge_fill_like_numpy()
    {
        // One row [1 2 3]: numpy.pad(..., 2, "reflect") = [3 2 1 2 3 2 1]; "edge" = [1 1 1 2 3 3 3].
        var xs = new TensorShape(1, 1, 1, 3);
        double[] row = [1, 2, 3];
        Assert.Equal([3, 2, 1, 2, 3, 2, 1], PadReference.Forward(row, xs, Pad2dOptions.Reflect(new Padding2d(0, 2, 0, 2))));
        Assert.Equal([1, 1, 1, 2, 3, 3, 3], PadReference.Forward(row, xs, Pad2dOptions.Edge(new Padding2d(0, 2, 0, 2))));
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, [1f, 2f, 3f]);
            using var yt = new Tensor(ctx, 1, 1, 1, 7);
            Pad2d.Forward(xt, yt, Pad2dOptions.Reflect(new Padding2d(0, 2, 0, 2)));
            Assert.Equal([3f, 2f, 1f, 2f, 3f, 2f, 1f], yt.ToArray());
        });
    }

    [Theory]
    [InlineData(-7, 0, 0, 0)]    // crops every row from the top
    [InlineData(-3, 0, -4, 0)]   // crops from both sides to nothing
    [InlineData(0, 2, 0, -5)]    // crops every column from the right, though the left is padded
    public void Cropping_everything_is_refused(int top, int left, int bottom, int right)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Pad2d.OutputShape(new TensorShape(1, 2, 7, 5), Pad2dOptions.Zero(new Padding2d(top, left, bottom, right))));
        Assert.Contains("[1,2,7,5]", e.Message);
    }

    [Fact]
    public void Reflect_padding_as_wide_as_the_axis_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Pad2d.OutputShape(new TensorShape(1, 2, 3, 5), Pad2dOptions.Reflect(new Padding2d(3, 0, 0, 0))));
        Assert.Contains("[1,2,3,5]", e.Message);
        Assert.Contains("reflect", e.Message);
    }

    [Fact]
    public void Wrong_output_tensor_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 2, 4, 4);
            using var y = new Tensor(ctx, 1, 2, 4, 4);
            var e = Assert.Throws<ArgumentException>(() => Pad2d.Forward(x, y, Pad2dOptions.Zero(Padding2d.All(1))));
            Assert.Contains("[1,2,6,6]", e.Message);
            Assert.Contains("[1,2,4,4]", e.Message);
        });
    }
}
