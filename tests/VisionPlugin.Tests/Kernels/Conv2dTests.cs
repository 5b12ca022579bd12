using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>Conv2d proven three ways: GPU forward vs reference, GPU backward vs reference, reference backward vs finite differences.</summary>
[Collection("Gpu")]
public sealed class Conv2dTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, output channels, kernel h, kernel w, options, bias).</summary>
    public static TheoryData<string, int[], int, int, int, Conv2dOptions, bool> Cases => new()
    {
        { "3x3 pad 1", [2, 3, 7, 5], 4, 3, 3, Conv2dOptions.Create(padding: 1), true },
        { "3x3 stride 2", [2, 3, 7, 5], 5, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1), true },
        { "3x3 dilation 2", [1, 3, 9, 8], 4, 3, 3, Conv2dOptions.Create(padding: 2, dilation: 2), false },
        { "groups 3", [2, 6, 7, 5], 9, 3, 3, Conv2dOptions.Create(padding: 1, groups: 3), true },
        { "depthwise", [2, 5, 7, 6], 5, 3, 3, Conv2dOptions.Create(padding: 1, groups: 5), true },
        { "depthwise x2 multiplier stride 2", [1, 3, 8, 7], 6, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1, groups: 3), false },
        { "asymmetric TF-same stride 2", [1, 3, 8, 8], 4, 3, 3, new Conv2dOptions { StrideH = 2, StrideW = 2, Padding = new Padding2d(0, 0, 1, 1) }, true },
        { "1x1 no bias", [2, 7, 5, 3], 6, 1, 1, Conv2dOptions.Default, false },
        { "1x1 with bias (GEMM path)", [3, 5, 4, 6], 7, 1, 1, Conv2dOptions.Default, true },
        { "depthwise 5x5 (depthwise tile)", [2, 4, 9, 11], 4, 5, 5, Conv2dOptions.Create(padding: 2, groups: 4), true },
        { "5x3 rect stride 2x1 pad mixed", [1, 2, 9, 7], 3, 5, 3, new Conv2dOptions { StrideH = 2, StrideW = 1, DilationW = 2, Padding = new Padding2d(2, 1, 1, 3) }, true },
        { "7x7 stride 2 pad 3 (ResNet stem)", [1, 3, 11, 13], 8, 7, 7, Conv2dOptions.Create(stride: 2, padding: 3), false },
        { "depthwise 3x3 stride 2 odd plane", [2, 3, 13, 11], 3, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1, groups: 3), false },
        { "depthwise 3x3 stride 2 wide (tile edges)", [1, 2, 9, 37], 2, 3, 3, Conv2dOptions.Create(stride: 2, padding: 1, groups: 2), true },
        { "depthwise 3x3 stride 2 TF-same", [2, 3, 10, 12], 3, 3, 3, new Conv2dOptions { StrideH = 2, StrideW = 2, Groups = 3, Padding = new Padding2d(0, 0, 1, 1) }, true },
        { "depthwise 3x3 stride 2 unpadded", [1, 4, 7, 9], 4, 3, 3, Conv2dOptions.Create(stride: 2, groups: 4), false },
        { "depthwise 3x3 stride 1 long rows", [3, 2, 5, 19], 2, 3, 3, Conv2dOptions.Create(padding: 1, groups: 2), false },
        { "1x1 batch 2 vec4 pixels (GEMM backward)", [2, 9, 4, 8], 12, 1, 1, Conv2dOptions.Default, true },
        { "1x1 batch 3 odd pixels 7x7 (scalar GEMM)", [3, 10, 7, 7], 13, 1, 1, Conv2dOptions.Default, false },
        { "1x1 batch 4 pixels 7x7 (samples side by side)", [4, 6, 7, 7], 9, 1, 1, Conv2dOptions.Default, true },
        { "odd channels 9 outputs", [1, 5, 6, 9], 9, 2, 2, Conv2dOptions.Create(stride: 1), true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] inDims, int outChannels, int kh, int kw, Conv2dOptions options, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, inDims[1] / options.Groups, kh, kw);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(1, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(2, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(3, outChannels)) : null;
        double[] dy = TestData.RoundToFloat(TestData.Uniform(4, ys.ElementCount));
        string parameters = $"{name}; weight {ws}; {options}; bias {hasBias}";

        double[] yRef = Conv2dReference.Forward(x, xs, w, ws, b, options);
        var (dxRef, dwRef, dbRef) = Conv2dReference.Backward(x, xs, w, ws, dy, options);

        gpu.Run(ctx => TexelLoadPaths.Both(ctx, texels =>
        {
            string where = $"{parameters}; texel loads {texels}";
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, new TensorShape(outChannels), TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dwt = new Tensor(ctx, ws);
            using var dbt = new Tensor(ctx, new TensorShape(outChannels));

            Conv2d.Forward(xt, wt, bt, yt, options);
            TensorAssert.Close("Conv2d forward", where, ys, yRef, yt.ToArray());

            dxt.Fill(123f); // overwritten, not accumulated
            Conv2d.BackwardInput(dyt, wt, dxt, options);
            TensorAssert.Close("Conv2d backward input", where, xs, dxRef, dxt.ToArray());
            Conv2d.BackwardInput(dyt, wt, dxt, options, accumulate: true); // dx += the same gradient again
            TensorAssert.Close("Conv2d backward input (accumulated)", where, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray());

            // Parameter gradients accumulate: two backward passes give twice the gradient.
            Conv2d.BackwardWeight(xt, dyt, dwt, options);
            Conv2d.BackwardWeight(xt, dyt, dwt, options);
            TensorAssert.Close("Conv2d backward weight (accumulated twice)", where, ws, dwRef.Select(v => 2 * v).ToArray(), dwt.ToArray());

            Conv2d.BackwardBias(dyt, dbt);
            TensorAssert.Close("Conv2d backward bias", where, new TensorShape(outChannels), dbRef, dbt.ToArray());
        }));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, int outChannels, int kh, int kw, Conv2dOptions options, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, inDims[1] / options.Groups, kh, kw);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.Uniform(11, xs.ElementCount);
        double[] w = TestData.Uniform(12, ws.ElementCount);
        double[]? b = hasBias ? TestData.Uniform(13, outChannels) : null;
        double[] dy = TestData.Uniform(14, ys.ElementCount);
        string parameters = $"{name}; weight {ws}; {options}";
        var (dx, dw, db) = Conv2dReference.Backward(x, xs, w, ws, dy, options);

        FiniteDifference.Check("Conv2d", parameters, "input", xs, v => Conv2dReference.Forward(v, xs, w, ws, b, options), x, dy, dx);
        FiniteDifference.Check("Conv2d", parameters, "weight", ws, v => Conv2dReference.Forward(x, xs, v, ws, b, options), w, dy, dw);
        if (b is not null)
            FiniteDifference.Check("Conv2d", parameters, "bias", new TensorShape(outChannels), v => Conv2dReference.Forward(x, xs, w, ws, v, options), b, dy, db);
    }

    [Fact]
    public void Mismatched_channels_raise_argument_exception_naming_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Conv2d.OutputShape(new TensorShape(1, 4, 224, 224), new TensorShape(8, 3, 3, 3), Conv2dOptions.Default));
        Assert.Contains("[1,4,224,224]", e.Message);
        Assert.Contains("[8,3,3,3]", e.Message);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 2)]
    public void Invalid_parameters_are_refused(int stride, int dilation, int groups)
    {
        var options = new Conv2dOptions { StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation, Groups = groups };
        Assert.ThrowsAny<ArgumentException>(() => Conv2d.OutputShape(new TensorShape(1, 3, 8, 8), new TensorShape(4, 3, 3, 3), options));
    }

    [Fact]
    public void Kernel_larger_than_padded_input_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Conv2d.OutputShape(new TensorShape(1, 3, 2, 2), new TensorShape(4, 3, 5, 5), Conv2dOptions.Default));
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void Wrong_output_tensor_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 3, 8, 8);
            using var w = new Tensor(ctx, 4, 3, 3, 3);
            using var y = new Tensor(ctx, 1, 4, 8, 8);
            var e = Assert.Throws<ArgumentException>(() => Conv2d.Forward(x, w, null, y, Conv2dOptions.Default));
            Assert.Contains("[1,4,6,6]", e.Message);
            Assert.Contains("[1,4,8,8]", e.Message);
        });
    }
}
