using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Pooling semantics pinned by hand-worked values: output sizes (floor/ceil, the dropped last window), PyTorch's
/// average divisor, tie-breaking, NaN, all-zero Lp windows; and the errors raised at the public boundary.
/// </summary>
[Collection("Gpu")]
public sealed class PoolingEdgeCaseTests(GpuFixture gpu)
{
    [Theory]
    [InlineData(7, 2, 2, 1, 0, 0, false, 3)]
    [InlineData(7, 2, 2, 1, 0, 0, true, 4)]       // the last window covers row 6 only
    [InlineData(224, 3, 2, 1, 1, 1, false, 112)]  // ResNet stem pool
    [InlineData(55, 3, 2, 1, 0, 0, false, 27)]    // AlexNet
    [InlineData(112, 3, 2, 1, 0, 0, true, 56)]    // GoogLeNet, ceil mode
    [InlineData(4, 3, 2, 1, 1, 1, false, 2)]
    [InlineData(4, 3, 2, 1, 1, 1, true, 3)]
    [InlineData(5, 2, 2, 1, 1, 1, true, 3)]       // ceil gives 4, but window 3 would start at 6 >= 5 + 1: dropped
    [InlineData(2, 3, 2, 1, 0, 0, false, 0)]      // kernel larger than the input
    [InlineData(2, 3, 2, 1, 0, 0, true, 1)]       // ... kept in ceil mode as a partial window
    [InlineData(9, 3, 1, 2, 2, 2, false, 9)]      // dilation 2: effective kernel 5
    [InlineData(9, 3, 2, 1, 0, 1, false, 4)]      // asymmetric padding
    public void Output_size_follows_the_pytorch_rule(int input, int kernel, int stride, int dilation, int padBefore, int padAfter, bool ceil, int expected) =>
        Assert.Equal(expected, Pool2dGeometry.OutputSize(input, kernel, stride, dilation, padBefore, padAfter, ceil));

    [Theory]
    [InlineData(true, new[] { 4 / 9.0, 6 / 9.0, 2 / 6.0, 6 / 9.0, 1, 3 / 6.0, 2 / 6.0, 3 / 6.0, 1 / 4.0 })]
    [InlineData(false, new[] { 1.0, 1, 1, 1, 1, 1, 1, 1, 1 })]
    public void Average_divisor_follows_pytorch_with_padding_and_ceil_mode(bool countIncludePad, double[] expected)
    {
        // ones(1,1,4,4), kernel 3, stride 2, pad 1, ceil: windows per axis [-1,2), [1,4), [3,5) clipped to I + pad = 5;
        // include-pad counts 3, 3, 2 per axis; image taps 2, 3, 1.
        Pool2dOptions options = Pool2dOptions.Create(3, 2, 1, ceilMode: true, countIncludePad: countIncludePad);
        var xs = new TensorShape(1, 1, 4, 4);
        float[] y = gpu.Run(ctx =>
        {
            using var xt = new Tensor(ctx, xs);
            xt.Fill(1f);
            using var yt = new Tensor(ctx, AvgPool2d.OutputShape(xs, options));
            AvgPool2d.Forward(xt, yt, options);
            return yt.ToArray();
        });
        TensorAssert.Close("AvgPool2d forward (ones)", options.ToString(), new TensorShape(1, 1, 3, 3), expected, y, atol: 1e-6, rtol: 0);
    }

    [Theory]
    [InlineData(1, 0)]   // overlapping stride 1: every window's top-left tap wins
    [InlineData(2, 1)]   // padded: the first tap inside the image wins
    public void Max_ties_go_to_the_first_tap_in_row_major_window_order(int stride, int padding)
    {
        Pool2dOptions options = Pool2dOptions.Create(3, stride, padding);
        var xs = new TensorShape(1, 2, 7, 7);
        TensorShape ys = MaxPool2d.OutputShape(xs, options);
        double[] dy = TestData.RoundToFloat(TestData.Uniform(7, ys.ElementCount));
        var argmaxExpected = new double[ys.ElementCount];
        var dxExpected = new double[xs.ElementCount];
        for (int i = 0; i < ys.ElementCount; i++)
        {
            int ox = i % ys.W, oy = i / ys.W % ys.H, plane = i / (ys.H * ys.W);
            int first = Math.Max(oy * stride - padding, 0) * xs.W + Math.Max(ox * stride - padding, 0);
            argmaxExpected[i] = first;
            dxExpected[plane * xs.H * xs.W + first] += dy[i];
        }
        gpu.Run(ctx =>
        {
            using var xt = new Tensor(ctx, xs);
            xt.Fill(0.25f);
            using var yt = new Tensor(ctx, ys);
            using var argmax = new GpuBuffer(ctx, ys.ElementCount);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            MaxPool2d.Forward(xt, yt, argmax, options);
            MaxPool2d.Backward(dyt, argmax, dxt, options);
            TensorAssert.Close("MaxPool2d argmax (constant input)", options.ToString(), ys, argmaxExpected,
                PoolingTests.ToDouble(PoolingTests.Download(argmax)), atol: 0, rtol: 0);
            TensorAssert.Close("MaxPool2d backward (constant input)", options.ToString(), xs, dxExpected, dxt.ToArray(), atol: 1e-6, rtol: 0);
        });
    }

    [Fact]
    public void Max_propagates_nan()
    {
        var xs = new TensorShape(1, 1, 4, 4);
        float[] x = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        x[5] = float.NaN;   // in window (0, 0) of a 2x2 stride-2 pool, after the window's first tap
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, x);
            using var yt = new Tensor(ctx, 1, 1, 2, 2);
            using var argmax = new GpuBuffer(ctx, 4);
            MaxPool2d.Forward(xt, yt, argmax, Pool2dOptions.Create(2));
            TensorAssert.Close("MaxPool2d forward with NaN", "2x2 stride 2", yt.Shape, [double.NaN, 7, 13, 15], yt.ToArray(), atol: 0, rtol: 0);
            Assert.Equal([5, 7, 13, 15], PoolingTests.Download(argmax));
        });
    }

    [Fact]
    public void Lp_of_an_all_zero_window_has_zero_output_and_zero_gradient()
    {
        Pool2dOptions options = Pool2dOptions.Create(2);
        var xs = new TensorShape(1, 1, 4, 4);
        float[] x = new float[16];
        x[10] = 2f;   // window (1, 1) is non-zero, the others are all zeros
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, x);
            using var yt = new Tensor(ctx, 1, 1, 2, 2);
            using var dyt = Tensor.FromData(ctx, yt.Shape, [1, 1, 1, 1]);
            using var dxt = new Tensor(ctx, xs);
            LpPool2d.Forward(xt, yt, options, 3f);
            LpPool2d.Backward(xt, yt, dyt, dxt, options, 3f);
            TensorAssert.Close("LpPool2d forward (zero windows)", "p 3", yt.Shape, [0, 0, 0, 2], yt.ToArray(), atol: 1e-6, rtol: 0);
            var dxExpected = new double[16];
            dxExpected[10] = 1;   // sign(2) (2 / 2)^2
            TensorAssert.Close("LpPool2d backward (zero windows)", "p 3", xs, dxExpected, dxt.ToArray(), atol: 1e-6, rtol: 0);
        });
    }

    private static TensorShape OutputShape(string op, TensorShape input, Pool2dOptions options) => op switch
    {
        "max" => MaxPool2d.OutputShape(input, options),
        "avg" => AvgPool2d.OutputShape(input, options),
        _ => LpPool2d.OutputShape(input, options),
    };

    [Theory]
    [InlineData("max")]
    [InlineData("avg")]
    [InlineData("lp")]
    public void Kernel_larger_than_padded_input_is_refused_naming_shape_and_window(string op)
    {
        var e = Assert.Throws<ArgumentException>(() => OutputShape(op, new TensorShape(1, 3, 2, 2), Pool2dOptions.Create(5)));
        Assert.Contains("[1,3,2,2]", e.Message);
        Assert.Contains("kernel 5x5", e.Message);
        Assert.Contains("does not fit", e.Message);
    }

    [Theory]
    [InlineData("max", 0, 2, 0, "stride")]
    [InlineData("avg", 0, 2, 0, "stride")]
    [InlineData("lp", 0, 2, 0, "stride")]
    [InlineData("max", 2, 0, 0, "kernel")]
    [InlineData("avg", 2, 2, -1, "padding")]
    public void Out_of_range_options_are_refused(string op, int stride, int kernel, int padding, string named)
    {
        var options = new Pool2dOptions { KernelH = kernel, KernelW = kernel, StrideH = stride, StrideW = stride, Padding = Padding2d.All(padding) };
        var e = Assert.ThrowsAny<ArgumentException>(() => OutputShape(op, new TensorShape(1, 3, 8, 8), options));
        Assert.Contains(named, e.Message);
        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void Average_pooling_refuses_dilation()
    {
        var e = Assert.Throws<ArgumentException>(() => AvgPool2d.OutputShape(new TensorShape(1, 3, 8, 8), Pool2dOptions.Create(2, dilation: 2)));
        Assert.Contains("AvgPool2d does not support dilation; got 2x2", e.Message);
    }

    [Theory]
    [InlineData("max")]
    [InlineData("avg")]
    [InlineData("lp")]
    public void Windows_made_only_of_padding_are_refused(string op)
    {
        // kernel 2, stride 2, pad 3 on a 4-wide axis: window 0 covers rows -3 and -2.
        var e = Assert.Throws<ArgumentException>(() => OutputShape(op, new TensorShape(1, 1, 4, 4), Pool2dOptions.Create(2, 2, 3)));
        Assert.Contains("lies entirely in padding", e.Message);
        Assert.Contains("[1,1,4,4]", e.Message);
    }

    [Fact]
    public void Non_nchw_input_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MaxPool2d.OutputShape(new TensorShape(3, 8, 8), Pool2dOptions.Create(2)));
        Assert.Contains("[3,8,8]", e.Message);
        Assert.Throws<ArgumentException>(() => GlobalPool.OutputShape(new TensorShape(3, 8)));
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Lp_order_below_one_or_not_finite_is_refused(float p) => gpu.Run(ctx =>
    {
        using var x = new Tensor(ctx, 1, 1, 4, 4);
        using var y = new Tensor(ctx, 1, 1, 2, 2);
        using var g = new Tensor(ctx, 1, 1, 1, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LpPool2d.Forward(x, y, Pool2dOptions.Create(2), p));
        Assert.Equal("p", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GlobalPool.LpForward(x, g, p));
    });

    [Fact]
    public void Wrong_tensor_shapes_are_refused_naming_both_shapes() => gpu.Run(ctx =>
    {
        Pool2dOptions options = Pool2dOptions.Create(2);
        using var x = new Tensor(ctx, 1, 3, 8, 8);
        using var wrong = new Tensor(ctx, 1, 3, 8, 8);
        using var y = new Tensor(ctx, 1, 3, 4, 4);
        using var argmax = new GpuBuffer(ctx, 10);
        AssertNames(() => MaxPool2d.Forward(x, wrong, null, options), "output", "[1,3,4,4]", "[1,3,8,8]");
        AssertNames(() => AvgPool2d.Forward(x, wrong, options), "output", "[1,3,4,4]", "[1,3,8,8]");
        AssertNames(() => LpPool2d.Forward(x, wrong, options), "output", "[1,3,4,4]", "[1,3,8,8]");
        AssertNames(() => AvgPool2d.Backward(wrong, x, options), "gradOutput", "[1,3,4,4]", "[1,3,8,8]");
        AssertNames(() => LpPool2d.Backward(x, y, wrong, x, options), "gradOutput", "[1,3,4,4]", "[1,3,8,8]");
        AssertNames(() => MaxPool2d.Forward(x, y, argmax, options), "argmax", "48", "10");
        AssertNames(() => MaxPool2d.Backward(y, argmax, x, options), "argmax", "48", "10");
        AssertNames(() => GlobalPool.AverageForward(x, y), "output", "[1,3,1,1]", "[1,3,4,4]");
        AssertNames(() => GlobalPool.MaxBackward(y, argmax, x), "gradOutput", "[1,3,1,1]", "[1,3,4,4]");
    });

    private static void AssertNames(Action call, string parameter, params string[] fragments)
    {
        var e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
    }
}
