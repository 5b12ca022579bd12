using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Local response normalization (ONNX LRN across channels) proven three ways: GPU forward vs double reference,
/// GPU backward vs reference (overwrite, then accumulate), reference backward vs finite differences.
/// </summary>
[Collection("Gpu")]
public sealed class LrnTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, options). Large alphas make the window term matter to the gradient.</summary>
    public static TheoryData<string, int[], LrnOptions> Cases => new()
    {
        { "defaults 2x3x7x5", [2, 3, 7, 5], LrnOptions.Default },
        { "AlexNet k=2 size 5 on 7 channels", [2, 7, 4, 3], new LrnOptions { Size = 5, Alpha = 0.5f, Beta = 0.75f, Bias = 2f } },
        { "size 3", [1, 6, 5, 4], new LrnOptions { Size = 3, Alpha = 0.9f, Beta = 0.6f, Bias = 1f } },
        { "size 4 (even: window c-1..c+2)", [2, 6, 3, 5], new LrnOptions { Size = 4, Alpha = 1.2f, Beta = 0.75f, Bias = 1.5f } },
        { "size 1", [1, 3, 4, 4], new LrnOptions { Size = 1, Alpha = 2f, Beta = 0.5f, Bias = 1f } },
        { "size 7 wider than 3 channels", [2, 3, 5, 3], new LrnOptions { Size = 7, Alpha = 1f, Beta = 1.25f, Bias = 0.5f } },
        { "rank 3 [N,C,L]", [2, 5, 6], new LrnOptions { Size = 3, Alpha = 0.8f, Beta = 0.75f, Bias = 1f } },
        { "rank 2 [N,C]", [3, 8], new LrnOptions { Size = 5, Alpha = 1f, Beta = 0.75f, Bias = 1f } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[] dims, LrnOptions options)
    {
        var xs = new TensorShape(dims);
        double[] x = TestData.RoundToFloat(TestData.Uniform(81, xs.ElementCount, -2, 2));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(82, xs.ElementCount));
        string parameters = $"{name}; {options}";
        var (yRef, dRef) = LrnReference.Forward(x, xs, options);
        double[] dxRef = LrnReference.Backward(x, xs, dy, options);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, xs);
            using var dt = new Tensor(ctx, xs);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            Lrn.Forward(xt, yt, options, dt);
            TensorAssert.Close("LRN forward", parameters, xs, yRef, yt.ToArray());
            TensorAssert.Close("LRN saved denominator", parameters, xs, dRef, dt.ToArray());

            dxt.Fill(123f); // overwritten, not accumulated
            Lrn.Backward(xt, yt, dt, dyt, dxt, options);
            TensorAssert.Close("LRN backward", parameters, xs, dxRef, dxt.ToArray());
            Lrn.Backward(xt, yt, dt, dyt, dxt, options, accumulate: true);
            TensorAssert.Close("LRN backward (accumulated)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray());

            // Inference needs no saved denominator and gives the same output.
            using var y2 = new Tensor(ctx, xs);
            Lrn.Forward(xt, y2, options);
            TensorAssert.Close("LRN inference forward", parameters, xs, yRef, y2.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] dims, LrnOptions options)
    {
        var xs = new TensorShape(dims);
        double[] x = TestData.Uniform(91, xs.ElementCount, -2, 2);
        double[] dy = TestData.Uniform(92, xs.ElementCount);
        double[] dx = LrnReference.Backward(x, xs, dy, options);
        FiniteDifference.Check("LRN", $"{name}; {options}", "input", xs, v => LrnReference.Forward(v, xs, options).Y, x, dy, dx);
    }

    [Fact]
    public void Even_size_uses_the_onnx_window_on_gpu()
    {
        // Size 4: ONNX window [c - 1, c + 2] (PyTorch's is [c - 2, c + 1], which would give channel 0 the set {0, 1}
        // and y0 = 1/3 here). The larger value at channel 3 only enters the windows of channels 1..4.
        var options = new LrnOptions { Size = 4, Alpha = 4f, Beta = 1f, Bias = 1f };
        Assert.Equal((1, 2), (options.Before, options.After));
        var xs = new TensorShape(1, 5, 1, 1);
        float[] x = [1f, 1f, 1f, 2f, 1f];
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, x);
            using var yt = new Tensor(ctx, xs);
            Lrn.Forward(xt, yt, options);
            // d[c] = 1 + (4/4) * sum of squares over the window: c0 {0,1,2}: 3; c1 {0..3}: 7; c2 {1..4}: 7; c3 {2..4}: 6; c4 {3,4}: 5.
            double[] expected = [1 / 4.0, 1 / 8.0, 1 / 8.0, 2 / 7.0, 1 / 6.0];
            TensorAssert.Close("LRN even window", options.ToString(), xs, expected, yt.ToArray(), 1e-6, 1e-5);
        });
    }

    [Fact]
    public void Layer_saves_the_denominator_in_training_and_matches_reference()
    {
        var xs = new TensorShape(2, 3, 7, 5);
        var options = new LrnOptions { Size = 3, Alpha = 0.7f, Beta = 0.75f, Bias = 2f };
        double[] x = TestData.RoundToFloat(TestData.Uniform(95, xs.ElementCount, -2, 2));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(96, xs.ElementCount));
        gpu.Run(ctx =>
        {
            using var layer = new LrnLayer("lrn", options);
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            layer.Forward(xt, training: false);
            Assert.Throws<InvalidOperationException>(() => layer.Backward(dyt, true));
            Tensor y = layer.Forward(xt, training: true);
            TensorAssert.Close("LrnLayer forward", options.ToString(), xs, LrnReference.Forward(x, xs, options).Y, y.ToArray());
            Tensor dx = layer.Backward(dyt, needInputGradient: true)!;
            TensorAssert.Close("LrnLayer backward", options.ToString(), xs, LrnReference.Backward(x, xs, dy, options), dx.ToArray());
            Assert.Empty(layer.Parameters);
        });
    }

    [Theory]
    [InlineData(0, 1e-4f, 0.75f, 1f, "Size")]
    [InlineData(5, -1e-4f, 0.75f, 1f, "Alpha")]
    [InlineData(5, 1e-4f, float.NaN, 1f, "Beta")]
    [InlineData(5, 1e-4f, 0.75f, 0f, "Bias")]
    public void Out_of_range_options_are_refused(int size, float alpha, float beta, float bias, string parameter)
    {
        var options = new LrnOptions { Size = size, Alpha = alpha, Beta = beta, Bias = bias };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Lrn.OutputShape(new TensorShape(1, 3, 4, 4), options));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Mismatched_shapes_name_both_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 7, 5);
            using var y = new Tensor(ctx, 2, 3, 5, 7);
            var e = Assert.Throws<ArgumentException>(() => Lrn.Forward(x, y, LrnOptions.Default));
            Assert.Contains("[2,3,7,5]", e.Message);
            Assert.Contains("[2,3,5,7]", e.Message);
            Assert.Throws<ArgumentException>(() => Lrn.OutputShape(new TensorShape(6), LrnOptions.Default));
        });
    }
}
