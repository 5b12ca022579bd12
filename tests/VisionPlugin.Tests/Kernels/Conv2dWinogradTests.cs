using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Winograd F(2x2, 3x3) forward (<see cref="Conv2dWinograd"/>) against the C# reference convolution: odd sizes (partial
/// 2x2 tiles), channel counts that do and do not allow the GEMM's vec4 loads, symmetric, asymmetric and no padding, bias
/// on and off, the fused epilogue; both texel and storage-buffer loads. Winograd adds a few ulps of float error (its
/// transforms scale values by up to 4 before the channel sums), so the tolerance is 2x the direct kernels'.
/// </summary>
[Collection("Gpu")]
public sealed class Conv2dWinogradTests(GpuFixture gpu)
{
    private const double Atol = 2e-4, Rtol = 2e-3;

    /// <summary>(name, input [N,C,H,W], output channels, padding top/left/bottom/right, bias).</summary>
    public static TheoryData<string, int[], int, int[], bool> Cases => new()
    {
        { "3 channels 7x9 pad 1", [2, 3, 7, 9], 5, [1, 1, 1, 1], true },
        { "17 channels 13x5 no pad", [2, 17, 13, 5], 6, [0, 0, 0, 0], false },
        { "8 channels 13x5 asymmetric pad", [2, 8, 13, 5], 12, [2, 0, 1, 3], true },
        { "4 channels 1 output channel 3x3 pad 1", [1, 4, 3, 3], 1, [1, 1, 1, 1], false },
        { "TF same (0,0,1,1) 16 channels 10x11", [1, 16, 10, 11], 9, [0, 0, 1, 1], true },
        { "5 channels 1x1 image pad 1", [3, 5, 1, 1], 7, [1, 1, 1, 1], true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Winograd_forward_matches_reference(string name, int[] inDims, int outChannels, int[] pad, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, inDims[1], 3, 3);
        var options = new Conv2dOptions { Padding = new Padding2d(pad[0], pad[1], pad[2], pad[3]) };
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(51, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(52, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(53, outChannels)) : null;
        double[] expected = Conv2dReference.Forward(x, xs, w, ws, b, options);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, new TensorShape(outChannels), TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            TexelLoadPaths.Both(ctx, texels =>
            {
                yt.Fill(float.NaN);   // every output must be written
                Conv2dWinograd.Dispatch(xt, wt.Buffer, bt, yt.Buffer, ConvGeometry.Of(xs, ws, ys, options), null);
                TensorAssert.Close("Conv2d Winograd forward", $"{name}; weight {ws}; {options}; bias {hasBias}; texel loads {texels}",
                    ys, expected, yt.ToArray(), Atol, Rtol);
            });
        });
    }

    [Fact]
    public void Winograd_forward_applies_the_fused_epilogue_after_bias_and_residual()
    {
        var xs = new TensorShape(2, 6, 9, 7);
        var ws = new TensorShape(10, 6, 3, 3);
        var options = Conv2dOptions.Create(padding: 1);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(61, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(62, ws.ElementCount));
        double[] b = TestData.RoundToFloat(TestData.Uniform(63, 10));
        double[] r = TestData.RoundToFloat(TestData.Uniform(64, ys.ElementCount, -2, 2));
        const float min = 0f, max = 1.5f;
        double[] expected = Conv2dReference.Forward(x, xs, w, ws, b, options).Select((v, i) => Math.Clamp(v + r[i], min, max)).ToArray();
        Assert.Contains(expected, v => v == min);
        Assert.Contains(expected, v => v == max);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = Tensor.FromData(ctx, new TensorShape(10), TestData.ToFloat(b));
            using var rt = Tensor.FromData(ctx, ys, TestData.ToFloat(r));
            using var yt = new Tensor(ctx, ys);
            yt.Fill(float.NaN);
            Conv2dWinograd.Dispatch(xt, wt.Buffer, bt, yt.Buffer, ConvGeometry.Of(xs, ws, ys, options), new ConvEpilogue(min, max, rt));
            TensorAssert.Close("Conv2d Winograd fused forward", $"weight {ws}; {options}; clamp [{min}, {max}]; residual", ys, expected, yt.ToArray(), Atol, Rtol);
        });
    }

    /// <summary>A layer the default rule gives to Winograd, run through the public <see cref="Conv2d.Forward"/>: the hook works end to end.</summary>
    [Fact]
    public void Conv2d_forward_on_an_eligible_64_channel_layer_matches_reference()
    {
        var xs = new TensorShape(1, 64, 9, 11);
        var ws = new TensorShape(64, 64, 3, 3);
        var options = Conv2dOptions.Create(padding: 1);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        Assert.True(Conv2dWinograd.Selects(ConvGeometry.Of(xs, ws, ys, options), "auto"));
        double[] x = TestData.RoundToFloat(TestData.Uniform(71, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(72, ws.ElementCount, -0.1, 0.1));
        double[] b = TestData.RoundToFloat(TestData.Uniform(73, 64));
        double[] expected = Conv2dReference.Forward(x, xs, w, ws, b, options);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = Tensor.FromData(ctx, new TensorShape(64), TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            yt.Fill(float.NaN);
            Conv2d.Forward(xt, wt, bt, yt, options);
            TensorAssert.Close("Conv2d forward (Winograd by default rule)", $"weight {ws}; {options}", ys, expected, yt.ToArray(), Atol, Rtol);
        });
    }

    /// <summary>(weight [K,C,KH,KW], stride, dilation, groups, padding, input HxW, expected under "auto").</summary>
    public static TheoryData<string, int[], int, int, int, int, bool> SelectionCases => new()
    {
        { "ResNet 3x3 64->64 @56", [64, 64, 3, 3], 1, 1, 1, 56, true },
        { "3x3 512->512 @7", [512, 512, 3, 3], 1, 1, 1, 7, true },
        { "stride 2", [64, 64, 3, 3], 2, 1, 1, 56, false },
        { "dilation 2", [64, 64, 3, 3], 1, 2, 1, 56, false },
        { "grouped", [64, 32, 3, 3], 1, 1, 2, 56, false },
        { "5x5", [64, 64, 5, 5], 1, 1, 1, 56, false },
        { "1x3", [64, 64, 1, 3], 1, 1, 1, 56, false },
        { "few input channels (stem)", [64, 3, 3, 3], 1, 1, 1, 56, false },
    };

    [Theory]
    [MemberData(nameof(SelectionCases))]
    public void Selection_rule_picks_Winograd_only_for_eligible_layers(string name, int[] weight, int stride, int dilation, int groups, int size, bool expected)
    {
        var ws = new TensorShape(weight);
        var xs = new TensorShape(1, weight[1] * groups, size, size);
        var options = new Conv2dOptions { StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation, Groups = groups, Padding = new Padding2d(1, 1, 1, 1) };
        ConvGeometry g = ConvGeometry.Of(xs, ws, Conv2d.OutputShape(xs, ws, options), options);
        Assert.True(expected == Conv2dWinograd.Selects(g, "auto"), $"{name}: auto selection should be {expected}");
        bool eligible = weight[2] == 3 && weight[3] == 3 && stride == 1 && dilation == 1 && groups == 1;
        Assert.True(eligible == Conv2dWinograd.Selects(g, "on"), $"{name}: forced on selects only eligible layers ({eligible})");
        Assert.False(Conv2dWinograd.Selects(g, "off"), $"{name}: forced off never selects");
    }

    [Fact]
    public void Dispatch_rejects_an_ineligible_layer_with_its_shape()
    {
        gpu.Run(ctx =>
        {
            var xs = new TensorShape(1, 2, 8, 8);
            var ws = new TensorShape(3, 2, 3, 3);
            var options = Conv2dOptions.Create(stride: 2);
            TensorShape ys = Conv2d.OutputShape(xs, ws, options);
            using var x = new Tensor(ctx, xs);
            using var w = new Tensor(ctx, ws);
            using var y = new Tensor(ctx, ys);
            var e = Assert.Throws<ArgumentException>(() => Conv2dWinograd.Dispatch(x, w.Buffer, null, y.Buffer, ConvGeometry.Of(xs, ws, ys, options), null));
            Assert.Contains("stride-1", e.Message);
            Assert.Contains(ws.ToString(), e.Message);
        });
    }
}
