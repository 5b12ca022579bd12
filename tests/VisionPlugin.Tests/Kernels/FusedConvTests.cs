using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// The inference kernels: the register-blocked depthwise 3x3 kernel (through <see cref="Conv2d.Forward"/>), the fused
/// epilogue y = clamp(conv + b + residual, min, max) on each conv path (generic, depthwise 3x3, 1x1 GEMM), and BatchNorm
/// folding, each against the C# references. None of them has a backward (inference only).
/// </summary>
[Collection("Gpu")]
public sealed class FusedConvTests(GpuFixture gpu)
{
    /// <summary>Depthwise 3x3 shapes: odd sizes, widths beyond one 8-column tile (interior and edge tiles), TF-same and symmetric padding.</summary>
    public static TheoryData<string, int[], Conv2dOptions, bool> DepthwiseCases => new()
    {
        { "stride 1 pad 1", [2, 5, 9, 13], Conv2dOptions.Create(padding: 1, groups: 5), true },
        { "stride 1 no pad, wide", [1, 3, 7, 21], Conv2dOptions.Create(groups: 3), false },
        { "stride 1 pad 1, one row", [1, 4, 1, 10], Conv2dOptions.Create(padding: 1, groups: 4), true },
        { "stride 2 TF-same (0,0,1,1)", [1, 3, 17, 11], new Conv2dOptions { StrideH = 2, StrideW = 2, Groups = 3, Padding = new Padding2d(0, 0, 1, 1) }, true },
        { "stride 2 pad 1 even", [2, 4, 8, 24], Conv2dOptions.Create(stride: 2, padding: 1, groups: 4), false },
        { "stride 1 asymmetric pad", [1, 2, 6, 19], new Conv2dOptions { Groups = 2, Padding = new Padding2d(2, 0, 1, 3) }, true },
        { "stride 1 pad 1, width 20 (vec4 stores, a half tile at the edge)", [2, 3, 5, 20], Conv2dOptions.Create(padding: 1, groups: 3), true },
        { "stride 1 pad 1, 7x7 plane (one invocation per plane)", [2, 5, 7, 7], Conv2dOptions.Create(padding: 1, groups: 5), true },
        { "stride 1 pad 1, 8x8 plane (one invocation per plane, vec4 stores)", [1, 2, 8, 8], Conv2dOptions.Create(padding: 1, groups: 2), false },
        { "stride 2 pad 1, 13x11 -> 7x6 plane (one invocation per plane)", [1, 3, 13, 11], Conv2dOptions.Create(stride: 2, padding: 1, groups: 3), true },
    };

    [Theory]
    [MemberData(nameof(DepthwiseCases))]
    public void Depthwise3x3_matches_reference(string name, int[] inDims, Conv2dOptions options, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(inDims[1], 1, 3, 3);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(11, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(12, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(13, inDims[1])) : null;
        double[] expected = Conv2dReference.Forward(x, xs, w, ws, b, options);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, new TensorShape(inDims[1]), TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            TexelLoadPaths.Both(ctx, texels =>
            {
                yt.Fill(float.NaN);   // every output must be written
                Conv2d.Forward(xt, wt, bt, yt, options);
                TensorAssert.Close("Conv2d depthwise 3x3 forward", $"{name}; {options}; bias {hasBias}; texel loads {texels}", ys, expected, yt.ToArray());
            });
        });
    }

    /// <summary>(name, input, output channels, kernel, options, clamp min, clamp max, residual): one per conv path.</summary>
    public static TheoryData<string, int[], int, int, Conv2dOptions, float, float, bool> EpilogueCases => new()
    {
        { "generic 3x3, ReLU6", [2, 3, 7, 5], 4, 3, Conv2dOptions.Create(padding: 1), 0f, 6f, false },
        { "3x3 row tile, 12 channels, width 21, ReLU", [2, 5, 6, 21], 12, 3, new Conv2dOptions { Padding = new Padding2d(1, 2, 0, 1) }, 0f, float.PositiveInfinity, false },
        { "generic 3x3 stride 2, residual + ReLU", [1, 3, 9, 9], 5, 3, Conv2dOptions.Create(stride: 2, padding: 1), 0f, float.PositiveInfinity, true },
        { "depthwise 3x3, clip [-0.5, 0.25]", [2, 5, 9, 13], 5, 3, Conv2dOptions.Create(padding: 1, groups: 5), -0.5f, 0.25f, false },
        { "depthwise 3x3 width 12 (vec4 stores), ReLU6, residual", [2, 3, 6, 12], 3, 3, Conv2dOptions.Create(padding: 1, groups: 3), 0f, 6f, true },
        { "depthwise 3x3 stride 2, residual", [1, 6, 10, 11], 6, 3, new Conv2dOptions { StrideH = 2, StrideW = 2, Groups = 6, Padding = new Padding2d(0, 0, 1, 1) }, float.NegativeInfinity, float.PositiveInfinity, true },
        { "depthwise 5x5 (generic depthwise tile), ReLU", [1, 4, 9, 11], 4, 5, Conv2dOptions.Create(padding: 2, groups: 4), 0f, float.PositiveInfinity, false },
        { "1x1 GEMM, residual + ReLU6", [3, 8, 4, 6], 12, 1, Conv2dOptions.Default, 0f, 6f, true },
        { "1x1 GEMM odd sizes, ReLU", [2, 5, 7, 7], 9, 1, Conv2dOptions.Default, 0f, float.PositiveInfinity, false },
    };

    [Theory]
    [MemberData(nameof(EpilogueCases))]
    public void ForwardFused_matches_reference_conv_then_residual_then_clamp(string name, int[] inDims, int outChannels, int kernel,
        Conv2dOptions options, float min, float max, bool residual)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, inDims[1] / options.Groups, kernel, kernel);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(21, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(22, ws.ElementCount));
        double[] b = TestData.RoundToFloat(TestData.Uniform(23, outChannels));
        double[] r = TestData.RoundToFloat(TestData.Uniform(24, ys.ElementCount, -2, 2));
        double[] conv = Conv2dReference.Forward(x, xs, w, ws, b, options);
        double[] expected = conv.Select((v, i) => Math.Min(Math.Max(v + (residual ? r[i] : 0), min), max)).ToArray();
        Assert.Contains(expected, v => v == min || v == max || !float.IsFinite(min));   // the clamp is exercised when finite
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = Tensor.FromData(ctx, new TensorShape(outChannels), TestData.ToFloat(b));
            using var rt = Tensor.FromData(ctx, ys, TestData.ToFloat(r));
            using var yt = new Tensor(ctx, ys);
            TexelLoadPaths.Both(ctx, texels =>
            {
                yt.Fill(float.NaN);
                Conv2d.ForwardFused(xt, wt, bt, yt, options, new ConvEpilogue(min, max, residual ? rt : null));
                TensorAssert.Close("Conv2d fused forward", $"{name}; {options}; clamp [{min}, {max}]; residual {residual}; texel loads {texels}",
                    ys, expected, yt.ToArray());
            });
        });
    }

    [Fact]
    public void ForwardFused_rejects_a_residual_of_another_shape_and_inverted_clamp()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 2, 5, 5);
            using var w = new Tensor(ctx, 3, 2, 3, 3);
            using var y = new Tensor(ctx, 1, 3, 3, 3);
            using var wrong = new Tensor(ctx, 1, 3, 3, 4);
            var e = Assert.Throws<ArgumentException>(() => Conv2d.ForwardFused(x, w, null, y, Conv2dOptions.Default, new ConvEpilogue(0, 6, wrong)));
            Assert.Contains("[1,3,3,3]", e.Message);
            Assert.Contains("[1,3,3,4]", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => Conv2d.ForwardFused(x, w, null, y, Conv2dOptions.Default, new ConvEpilogue(1, 0, null)));
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormFolding_matches_reference_fold_and_conv_then_batchnorm(bool hasBias)
    {
        var xs = new TensorShape(2, 3, 6, 7);
        var ws = new TensorShape(5, 3, 3, 3);
        var options = Conv2dOptions.Create(padding: 1);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        const float eps = 1e-3f;
        double[] x = TestData.RoundToFloat(TestData.Uniform(31, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(32, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(33, 5)) : null;
        double[] gamma = TestData.RoundToFloat(TestData.Uniform(34, 5, 0.5, 2));
        double[] beta = TestData.RoundToFloat(TestData.Uniform(35, 5));
        double[] mean = TestData.RoundToFloat(TestData.Uniform(36, 5));
        double[] variance = TestData.RoundToFloat(TestData.Uniform(37, 5, 0.1, 3));
        // Reference fold: s = gamma / sqrt(var + eps); w' = w * s[k]; b' = (b - mean) * s + beta.
        int perRow = ws.ElementCount / 5;
        double[] scale = Enumerable.Range(0, 5).Select(k => gamma[k] / Math.Sqrt(variance[k] + (double)eps)).ToArray();
        double[] wFolded = w.Select((v, i) => v * scale[i / perRow]).ToArray();
        double[] bFolded = Enumerable.Range(0, 5).Select(k => ((b?[k] ?? 0) - mean[k]) * scale[k] + beta[k]).ToArray();
        double[] convThenNorm = BatchNormReference.Normalize(Conv2dReference.Forward(x, xs, w, ws, b, options), ys, mean, variance, gamma, beta, eps);
        string parameters = $"weight {ws}; bias {hasBias}; eps {eps}";
        gpu.Run(ctx =>
        {
            Tensor Upload(double[] values, TensorShape shape) => Tensor.FromData(ctx, shape, TestData.ToFloat(values));
            var channel = new TensorShape(5);
            using var wt = Upload(w, ws);
            using var bt = b is null ? null : Upload(b, channel);
            using var gt = Upload(gamma, channel);
            using var betat = Upload(beta, channel);
            using var mt = Upload(mean, channel);
            using var vt = Upload(variance, channel);
            using var wf = new Tensor(ctx, ws);
            using var bf = new Tensor(ctx, channel);
            BatchNormFolding.Fold(wt, bt, gt, betat, mt, vt, eps, wf, bf);
            TensorAssert.Close("BatchNorm fold (weight)", parameters, ws, wFolded, wf.ToArray(), atol: 1e-6, rtol: 1e-5);
            TensorAssert.Close("BatchNorm fold (bias)", parameters, channel, bFolded, bf.ToArray(), atol: 1e-6, rtol: 1e-5);

            using var xt = Upload(x, xs);
            using var yt = new Tensor(ctx, ys);
            Conv2d.Forward(xt, wf, bf, yt, options);
            TensorAssert.Close("conv with folded BatchNorm", parameters, ys, convThenNorm, yt.ToArray());
        });
    }

    /// <summary>
    /// The GEMM kernel both ways: vec4 operands through buffer textures (llvmpipe's default) and through storage-buffer
    /// loads (the hardware default), on vec4-friendly and odd shapes, plain and transposed, against the reference.
    /// </summary>
    [Theory]
    [InlineData(8, 12, 16, false, false)]
    [InlineData(20, 36, 44, true, false)]
    [InlineData(16, 24, 8, false, true)]
    [InlineData(7, 9, 13, false, false)]
    public void Gemm_matches_reference_with_texel_and_storage_loads(int m, int k, int n, bool transposeA, bool transposeB)
    {
        var aShape = transposeA ? new TensorShape(2, k, m) : new TensorShape(2, m, k);
        var bShape = transposeB ? new TensorShape(2, n, k) : new TensorShape(2, k, n);
        double[] a = TestData.RoundToFloat(TestData.Uniform(41, aShape.ElementCount));
        double[] b = TestData.RoundToFloat(TestData.Uniform(42, bShape.ElementCount));
        double[] expected = LinearReference.MatMul(a, 2, b, 2, m, n, k, transposeA, transposeB);
        var cShape = new TensorShape(2, m, n);
        gpu.Run(ctx =>
        {
            using var at = Tensor.FromData(ctx, aShape, TestData.ToFloat(a));
            using var bt = Tensor.FromData(ctx, bShape, TestData.ToFloat(b));
            using var ct = new Tensor(ctx, cShape);
            TexelLoadPaths.Both(ctx, texels =>
            {
                ct.Fill(float.NaN);
                Gemm.Multiply(at, bt, ct, transposeA, transposeB);
                TensorAssert.Close("Gemm", $"A {aShape}{(transposeA ? "^T" : "")}, B {bShape}{(transposeB ? "^T" : "")}, texel loads {texels}",
                    cShape, expected, ct.ToArray());
            });
        });
    }
}
