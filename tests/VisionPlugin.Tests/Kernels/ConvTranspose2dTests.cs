using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// ConvTranspose2d proven three ways: GPU forward vs reference, GPU backward (input, weight, bias; overwrite and
/// accumulate) vs reference, reference backward vs finite differences.
/// </summary>
[Collection("Gpu")]
public sealed class ConvTranspose2dTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, output channels, kernel h, kernel w, options, bias).</summary>
    public static TheoryData<string, int[], int, int, int, ConvTranspose2dOptions, bool> Cases => new()
    {
        { "3x3 pad 1", [2, 3, 7, 5], 4, 3, 3, ConvTranspose2dOptions.Create(padding: 1), true },
        { "3x3 stride 2 pad 1 output padding 1", [2, 3, 4, 5], 5, 3, 3, ConvTranspose2dOptions.Create(stride: 2, padding: 1, outputPadding: 1), true },
        { "2x2 stride 2 (U-Net upsampling)", [2, 5, 3, 4], 3, 2, 2, ConvTranspose2dOptions.Create(stride: 2), true },
        { "3x3 dilation 2 output padding 1 (< dilation)", [1, 3, 5, 4], 4, 3, 3, ConvTranspose2dOptions.Create(padding: 1, outputPadding: 1, dilation: 2), false },
        { "groups 3 stride 2", [2, 6, 4, 3], 9, 3, 3, ConvTranspose2dOptions.Create(stride: 2, padding: 1, groups: 3), true },
        { "depthwise", [1, 4, 5, 5], 4, 3, 3, ConvTranspose2dOptions.Create(padding: 1, groups: 4), true },
        { "asymmetric pad (t0,l1,b1,r2) 4x3 stride 2 output padding 1x0", [1, 3, 5, 4], 4, 4, 3,
            new ConvTranspose2dOptions { StrideH = 2, StrideW = 2, Padding = new Padding2d(0, 1, 1, 2), OutputPaddingH = 1 }, true },
        { "3x2 stride 3x2 dilation 2x1 output padding 2x1", [2, 2, 4, 3], 3, 3, 2,
            new ConvTranspose2dOptions { StrideH = 3, StrideW = 2, DilationH = 2, OutputPaddingH = 2, OutputPaddingW = 1, Padding = new Padding2d(1, 0, 2, 1) }, true },
        { "7 output channels groups 1 stride 2 pad 2", [1, 5, 3, 6], 7, 5, 5, ConvTranspose2dOptions.Create(stride: 2, padding: 2, outputPadding: 1), true },
        { "1x1 no bias", [2, 7, 3, 5], 6, 1, 1, ConvTranspose2dOptions.Default, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims, int outChannels, int kh, int kw, ConvTranspose2dOptions options, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(inDims[1], outChannels / options.Groups, kh, kw);
        var bs = new TensorShape(outChannels);
        TensorShape ys = ConvTranspose2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(1, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(2, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(3, outChannels)) : null;
        double[] dy = TestData.RoundToFloat(TestData.Uniform(4, ys.ElementCount));
        string parameters = $"{name}; weight {ws}; {options}; bias {hasBias}";

        double[] yRef = ConvTranspose2dReference.Forward(x, xs, w, ws, b, options);
        var (dxRef, dwRef, dbRef) = ConvTranspose2dReference.Backward(x, xs, w, ws, dy, options);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, bs, TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dwt = new Tensor(ctx, ws);
            using var dbt = new Tensor(ctx, bs);

            yt.Fill(77f); // every element written
            ConvTranspose2d.Forward(xt, wt, bt, yt, options);
            TensorAssert.Close("ConvTranspose2d forward", parameters, ys, yRef, yt.ToArray());

            dxt.Fill(123f); // overwritten, not accumulated
            ConvTranspose2d.BackwardInput(dyt, wt, dxt, options);
            TensorAssert.Close("ConvTranspose2d backward input", parameters, xs, dxRef, dxt.ToArray());
            ConvTranspose2d.BackwardInput(dyt, wt, dxt, options, accumulate: true);
            TensorAssert.Close("ConvTranspose2d backward input (accumulated twice)", parameters, xs, Scale(dxRef, 2), dxt.ToArray());

            // Parameter gradients accumulate: two backward passes give twice the gradient.
            ConvTranspose2d.BackwardWeight(xt, dyt, dwt, options);
            ConvTranspose2d.BackwardWeight(xt, dyt, dwt, options);
            TensorAssert.Close("ConvTranspose2d backward weight (accumulated twice)", parameters, ws, Scale(dwRef, 2), dwt.ToArray());

            dbt.Fill(5f);
            ConvTranspose2d.BackwardBias(dyt, dbt, accumulate: false);
            TensorAssert.Close("ConvTranspose2d backward bias", parameters, bs, dbRef, dbt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, int outChannels, int kh, int kw, ConvTranspose2dOptions options, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(inDims[1], outChannels / options.Groups, kh, kw);
        TensorShape ys = ConvTranspose2d.OutputShape(xs, ws, options);
        double[] x = TestData.Uniform(11, xs.ElementCount);
        double[] w = TestData.Uniform(12, ws.ElementCount);
        double[]? b = hasBias ? TestData.Uniform(13, outChannels) : null;
        double[] dy = TestData.Uniform(14, ys.ElementCount);
        string parameters = $"{name}; weight {ws}; {options}";
        var (dx, dw, db) = ConvTranspose2dReference.Backward(x, xs, w, ws, dy, options);

        FiniteDifference.Check("ConvTranspose2d", parameters, "input", xs, v => ConvTranspose2dReference.Forward(v, xs, w, ws, b, options), x, dy, dx);
        FiniteDifference.Check("ConvTranspose2d", parameters, "weight", ws, v => ConvTranspose2dReference.Forward(x, xs, v, ws, b, options), w, dy, dw);
        if (b is not null)
            FiniteDifference.Check("ConvTranspose2d", parameters, "bias", new TensorShape(outChannels), v => ConvTranspose2dReference.Forward(x, xs, w, ws, v, options), b, dy, db);
    }

    [Theory]
    [InlineData(4, 3, 2, 1, 1, 1, 8)]    // PyTorch: (4-1)*2 - 2 + 2 + 1 + 1
    [InlineData(7, 3, 1, 1, 0, 1, 7)]    // "same" stride 1
    [InlineData(3, 2, 2, 0, 0, 1, 6)]    // 2x2 stride 2 doubles
    [InlineData(5, 3, 1, 0, 1, 2, 10)]   // dilation 2, output padding 1
    public void Output_size_follows_the_pytorch_formula(int input, int kernel, int stride, int padding, int outputPadding, int dilation, int expected)
    {
        var options = ConvTranspose2dOptions.Create(stride, padding, outputPadding, dilation);
        TensorShape y = ConvTranspose2d.OutputShape(new TensorShape(1, 2, input, input), new TensorShape(2, 3, kernel, kernel), options);
        Assert.Equal(new TensorShape(1, 3, expected, expected), y);
    }

    [Fact]
    public void Mismatched_channels_raise_argument_exception_naming_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ConvTranspose2d.OutputShape(new TensorShape(1, 4, 8, 8), new TensorShape(3, 2, 3, 3), ConvTranspose2dOptions.Default));
        Assert.Contains("[1,4,8,8]", e.Message);
        Assert.Contains("[3,2,3,3]", e.Message);
    }

    [Theory]
    [InlineData(2, 1, 2, 1)]   // output padding == stride, dilation 1
    [InlineData(1, 1, 1, 1)]   // output padding with stride 1, dilation 1
    [InlineData(0, 1, 0, 1)]   // stride 0
    [InlineData(1, 0, 0, 1)]   // dilation 0
    [InlineData(1, 1, 0, 3)]   // groups do not divide 4 input channels
    public void Invalid_options_are_refused(int stride, int dilation, int outputPadding, int groups)
    {
        var options = ConvTranspose2dOptions.Create(stride: stride, outputPadding: outputPadding, dilation: dilation, groups: groups);
        Assert.ThrowsAny<ArgumentException>(() => ConvTranspose2d.OutputShape(new TensorShape(1, 4, 5, 5), new TensorShape(4, 2, 3, 3), options));
    }

    [Fact]
    public void Padding_that_removes_the_whole_output_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ConvTranspose2d.OutputShape(new TensorShape(1, 2, 1, 1), new TensorShape(2, 2, 1, 1), ConvTranspose2dOptions.Create(padding: 1)));
        Assert.Contains("[1,2,1,1]", e.Message);
    }

    [Fact]
    public void Wrong_output_tensor_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 3, 4, 4);
            using var w = new Tensor(ctx, 3, 2, 3, 3);
            using var y = new Tensor(ctx, 1, 2, 8, 8);
            var e = Assert.Throws<ArgumentException>(() => ConvTranspose2d.Forward(x, w, null, y, ConvTranspose2dOptions.Create(stride: 2, padding: 1)));
            Assert.Contains("[1,2,7,7]", e.Message);
            Assert.Contains("[1,2,8,8]", e.Message);
        });
    }

    private static double[] Scale(double[] values, double factor) => values.Select(v => v * factor).ToArray();
}
