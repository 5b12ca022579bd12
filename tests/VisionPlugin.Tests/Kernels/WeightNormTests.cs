using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Weight normalization w = g * v / ||v|| proven three ways (GPU forward vs double reference, GPU backward vs
/// reference, reference backward vs finite differences), and the WeightNormConv2dLayer built on it and Conv2d.
/// </summary>
[Collection("Gpu")]
public sealed class WeightNormTests(GpuFixture gpu)
{
    /// <summary>(name, direction shape): conv weights [K, C/groups, KH, KW] and a linear weight [OUT, IN].</summary>
    public static TheoryData<string, int[]> Cases => new()
    {
        { "conv 4x3x3x3", [4, 3, 3, 3] },
        { "conv 5x2x1x3", [5, 2, 1, 3] },
        { "conv 1x5x2x2 single output channel", [1, 5, 2, 2] },
        { "depthwise 6x1x3x3", [6, 1, 3, 3] },
        { "linear 7x11", [7, 11] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] dims)
    {
        var vs = new TensorShape(dims);
        int k = dims[0];
        var gs = new TensorShape(k);
        double[] v = TestData.RoundToFloat(TestData.Uniform(171, vs.ElementCount));
        double[] g = TestData.RoundToFloat(TestData.Uniform(172, k, 0.5, 2));
        double[] dw = TestData.RoundToFloat(TestData.Uniform(173, vs.ElementCount));
        var (wRef, normsRef) = WeightNormReference.Forward(v, g);
        var (dvRef, dgRef) = WeightNormReference.Backward(v, g, dw);

        gpu.Run(ctx =>
        {
            using var vt = Tensor.FromData(ctx, vs, TestData.ToFloat(v));
            using var gt = Tensor.FromData(ctx, gs, TestData.ToFloat(g));
            using var wt = new Tensor(ctx, vs);
            using var norms = new Tensor(ctx, gs);
            using var dwt = Tensor.FromData(ctx, vs, TestData.ToFloat(dw));
            using var dvt = new Tensor(ctx, vs);
            using var dgt = new Tensor(ctx, gs);

            WeightNorm.Forward(vt, gt, wt, norms);
            TensorAssert.Close("WeightNorm forward", name, vs, wRef, wt.ToArray());
            TensorAssert.Close("WeightNorm saved norms", name, gs, normsRef, norms.ToArray());

            // Parameter gradients accumulate: two passes give twice the gradient.
            WeightNorm.Backward(dwt, vt, gt, norms, dvt, dgt);
            WeightNorm.Backward(dwt, vt, gt, norms, dvt, dgt);
            TensorAssert.Close("WeightNorm backward direction (twice)", name, vs, dvRef.Select(x => 2 * x).ToArray(), dvt.ToArray());
            TensorAssert.Close("WeightNorm backward magnitude (twice)", name, gs, dgRef.Select(x => 2 * x).ToArray(), dgt.ToArray());

            dvt.Fill(123f);
            WeightNorm.Backward(dwt, vt, gt, norms, dvt, null, accumulate: false);
            TensorAssert.Close("WeightNorm backward direction (overwrite, magnitude skipped)", name, vs, dvRef, dvt.ToArray());
            dgt.Fill(0f);
            WeightNorm.Backward(dwt, vt, gt, norms, null, dgt);
            TensorAssert.Close("WeightNorm backward magnitude only", name, gs, dgRef, dgt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] dims)
    {
        var vs = new TensorShape(dims);
        int k = dims[0];
        double[] v = TestData.Uniform(181, vs.ElementCount);
        double[] g = TestData.Uniform(182, k, 0.5, 2);
        double[] dw = TestData.Uniform(183, vs.ElementCount);
        var (dv, dg) = WeightNormReference.Backward(v, g, dw);
        FiniteDifference.Check("WeightNorm", name, "direction", vs, x => WeightNormReference.Forward(x, g).W, v, dw, dv);
        FiniteDifference.Check("WeightNorm", name, "magnitude", new TensorShape(k), x => WeightNormReference.Forward(v, x).W, g, dw, dg);
    }

    /// <summary>(name, input shape, output channels, kernel, options).</summary>
    public static TheoryData<string, int[], int, int, Conv2dOptions> LayerCases => new()
    {
        { "3x3 pad 1", [2, 3, 7, 5], 4, 3, Conv2dOptions.Create(padding: 1) },
        { "3x3 stride 2 groups 3", [1, 6, 7, 5], 3, 3, Conv2dOptions.Create(stride: 2, padding: 1, groups: 3) },
        { "1x1", [2, 5, 3, 4], 6, 1, Conv2dOptions.Default },
    };

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void Conv_layer_matches_reference_chain_on_gpu(string name, int[] inDims, int outChannels, int kernel, Conv2dOptions options)
    {
        var xs = new TensorShape(inDims);
        var vs = new TensorShape(outChannels, inDims[1] / options.Groups, kernel, kernel);
        TensorShape ys = Conv2d.OutputShape(xs, vs, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(191, xs.ElementCount));
        double[] v = TestData.RoundToFloat(TestData.Uniform(192, vs.ElementCount));
        double[] g = TestData.RoundToFloat(TestData.Uniform(193, outChannels, 0.5, 2));
        double[] b = TestData.RoundToFloat(TestData.Uniform(194, outChannels));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(195, ys.ElementCount));
        string parameters = $"WeightNormConv2d {name}; direction {vs}; {options}";

        // Reference chain: w = g v / ||v||, y = conv(x, w) + b; dw from the conv reference, then dv, dg.
        var (w, _) = WeightNormReference.Forward(v, g);
        double[] yRef = Conv2dReference.Forward(x, xs, w, vs, b, options);
        var (dxRef, dwRef, dbRef) = Conv2dReference.Backward(x, xs, w, vs, dy, options);
        var (dvRef, dgRef) = WeightNormReference.Backward(v, g, dwRef);

        gpu.Run(ctx =>
        {
            using var layer = new WeightNormConv2dLayer(ctx, "conv", inDims[1], outChannels, kernel, kernel, options);
            Assert.Equal(["conv.weight_v", "conv.weight_g", "conv.bias"], layer.Parameters.Select(p => p.Name));
            layer.Direction.Value.Upload(TestData.ToFloat(v));
            layer.Magnitude.Value.Upload(TestData.ToFloat(g));
            layer.Bias!.Value.Upload(TestData.ToFloat(b));
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));

            Tensor y = layer.Forward(xt, training: true);
            TensorAssert.Close("WeightNormConv2d effective weight", parameters, vs, w, layer.Weight.ToArray());
            TensorAssert.Close("WeightNormConv2d forward", parameters, ys, yRef, y.ToArray());
            Tensor dx = layer.Backward(dyt, needInputGradient: true)!;
            TensorAssert.Close("WeightNormConv2d backward input", parameters, xs, dxRef, dx.ToArray());
            TensorAssert.Close("WeightNormConv2d backward direction", parameters, vs, dvRef, layer.Direction.Gradient.ToArray());
            TensorAssert.Close("WeightNormConv2d backward magnitude", parameters, new TensorShape(outChannels), dgRef, layer.Magnitude.Gradient.ToArray());
            TensorAssert.Close("WeightNormConv2d backward bias", parameters, new TensorShape(outChannels), dbRef, layer.Bias.Gradient.ToArray());

            // Frozen: no parameter gradient accumulates, the input gradient still flows.
            layer.Frozen = true;
            layer.Forward(xt, training: true);
            Tensor dxFrozen = layer.Backward(dyt, needInputGradient: true)!;
            TensorAssert.Close("WeightNormConv2d frozen backward input", parameters, xs, dxRef, dxFrozen.ToArray());
            TensorAssert.Close("WeightNormConv2d frozen direction gradient unchanged", parameters, vs, dvRef, layer.Direction.Gradient.ToArray());
        });
    }

    [Fact]
    public void Conv_layer_reference_chain_matches_finite_differences()
    {
        var xs = new TensorShape(1, 2, 5, 4);
        var vs = new TensorShape(3, 2, 3, 3);
        Conv2dOptions options = Conv2dOptions.Create(padding: 1);
        TensorShape ys = Conv2d.OutputShape(xs, vs, options);
        double[] x = TestData.Uniform(201, xs.ElementCount);
        double[] v = TestData.Uniform(202, vs.ElementCount);
        double[] g = TestData.Uniform(203, 3, 0.5, 2);
        double[] dy = TestData.Uniform(204, ys.ElementCount);
        double[] Forward(double[] direction, double[] magnitude) =>
            Conv2dReference.Forward(x, xs, WeightNormReference.Forward(direction, magnitude).W, vs, null, options);
        double[] dwRef = Conv2dReference.Backward(x, xs, WeightNormReference.Forward(v, g).W, vs, dy, options).Dw;
        var (dv, dg) = WeightNormReference.Backward(v, g, dwRef);
        FiniteDifference.Check("WeightNormConv2d", "3x3 pad 1", "direction", vs, d => Forward(d, g), v, dy, dv);
        FiniteDifference.Check("WeightNormConv2d", "3x3 pad 1", "magnitude", new TensorShape(3), m => Forward(v, m), g, dy, dg);
    }

    [Fact]
    public void Layer_starts_with_weight_equal_to_direction()
    {
        gpu.Run(ctx =>
        {
            using var layer = new WeightNormConv2dLayer(ctx, "conv", 3, 4, 3, 3, Conv2dOptions.Create(padding: 1), random: new Random(7));
            using var x = new Tensor(ctx, 1, 3, 5, 5);
            layer.Forward(x, training: false);
            float[] v = layer.Direction.Value.ToArray();
            TensorAssert.Close("initial g = ||v|| so w = v", "WeightNormConv2d 4x3x3x3", layer.Direction.Shape,
                v.Select(f => (double)f).ToArray(), layer.Weight.ToArray(), 1e-6, 1e-5);
        });
    }

    [Fact]
    public void Mismatched_magnitude_names_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightNorm.WeightShape(new TensorShape(4, 3, 3, 3), new TensorShape(3)));
        Assert.Contains("[4,3,3,3]", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Equal("magnitude", e.ParamName);
        Assert.Throws<ArgumentException>(() => WeightNorm.WeightShape(new TensorShape(4), new TensorShape(4)));
        gpu.Run(ctx =>
        {
            using var v = new Tensor(ctx, 4, 3, 3, 3);
            using var g = new Tensor(ctx, 4);
            using var w = new Tensor(ctx, 4, 27);
            var shape = Assert.Throws<ArgumentException>(() => WeightNorm.Forward(v, g, w, g));
            Assert.Contains("[4,27]", shape.Message);
            Assert.Contains("[4,3,3,3]", shape.Message);
        });
    }
}
