using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Inverted dropout: GPU forward and backward vs a double reference whose mask is rebuilt from the counter RNG,
/// reference backward vs finite differences, the kept fraction, inference identity, seeding and validation.
/// </summary>
[Collection("Gpu")]
public sealed class DropoutTests(GpuFixture gpu)
{
    /// <summary>(name, shape, p, stream seed).</summary>
    public static TheoryData<string, int[], float, uint> Cases => new()
    {
        { "p 0.5 2x3x7x5", [2, 3, 7, 5], 0.5f, 1u },
        { "p 0.1 [N,F]", [4, 33], 0.1f, 77u },
        { "p 0.9 [N,C,L]", [3, 5, 7], 0.9f, 0xDEADBEEFu },
        { "p 0 keeps everything", [2, 3, 4, 5], 0f, 5u },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_mask_on_gpu(string name, int[] dims, float p, uint seed)
    {
        var xs = new TensorShape(dims);
        double[] x = TestData.RoundToFloat(TestData.Uniform(101, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(102, xs.ElementCount));
        bool[] keep = DropoutReference.Mask(seed, xs.ElementCount, p);
        string parameters = $"{name}; p {p}, seed {seed}";
        double[] yRef = DropoutReference.Forward(x, keep, p);
        double[] dxRef = DropoutReference.Backward(dy, keep, p);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, xs);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            Dropout.Forward(xt, yt, p, seed, training: true);
            float[] y = yt.ToArray();
            TensorAssert.Close("Dropout forward", parameters, xs, yRef, y, 1e-6, 1e-6);
            for (int i = 0; i < y.Length; i++)
                if (x[i] != 0) Assert.True(keep[i] == (y[i] != 0f), $"Dropout mask differs from CounterRandom at {TensorAssert.MultiIndex(xs, i)}");

            dxt.Fill(123f); // overwritten, not accumulated
            Dropout.Backward(dyt, dxt, p, seed, training: true);
            TensorAssert.Close("Dropout backward", parameters, xs, dxRef, dxt.ToArray(), 1e-6, 1e-6);
            Dropout.Backward(dyt, dxt, p, seed, training: true, accumulate: true);
            TensorAssert.Close("Dropout backward (accumulated)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), 1e-6, 1e-6);

            // In place (output = input) gives the same result.
            Dropout.Forward(xt, xt, p, seed, training: true);
            TensorAssert.Close("Dropout forward in place", parameters, xs, yRef, xt.ToArray(), 1e-6, 1e-6);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] dims, float p, uint seed)
    {
        var xs = new TensorShape(dims);
        double[] x = TestData.Uniform(111, xs.ElementCount);
        double[] dy = TestData.Uniform(112, xs.ElementCount);
        bool[] keep = DropoutReference.Mask(seed, xs.ElementCount, p);
        FiniteDifference.Check("Dropout", $"{name}; p {p}", "input", xs, v => DropoutReference.Forward(v, keep, p), x, dy,
            DropoutReference.Backward(dy, keep, p));
    }

    [Theory]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    public void Kept_fraction_is_one_minus_p_and_kept_values_are_scaled(float p)
    {
        const int count = 200_000;
        var shape = new TensorShape(count);
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, shape);
            x.Fill(1f);
            using var y = new Tensor(ctx, shape);
            Dropout.Forward(x, y, p, seed: 12345u, training: true);
            float[] values = y.ToArray();
            int kept = values.Count(v => v != 0f);
            double fraction = kept / (double)count;
            double sigma = Math.Sqrt(p * (1 - p) / count);
            Assert.True(Math.Abs(fraction - (1 - p)) < 5 * sigma, $"Dropout p {p}: kept fraction {fraction:F4}, expected {1 - p:F4} +- {5 * sigma:F4}");
            float scale = 1f / (1f - p);
            Assert.All(values, v => Assert.True(v == 0f || v == scale, $"Dropout p {p}: value {v} is neither 0 nor {scale}"));
            // Inverted dropout keeps the mean.
            Assert.InRange(values.Average(), 1 - 6 * sigma * scale, 1 + 6 * sigma * scale);
        });
    }

    [Fact]
    public void Inference_is_identity()
    {
        var xs = new TensorShape(2, 3, 7, 5);
        double[] x = TestData.RoundToFloat(TestData.Uniform(121, xs.ElementCount));
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, xs);
            Dropout.Forward(xt, yt, 0.5f, 9u, training: false);
            TensorAssert.Close("Dropout inference", "p 0.5", xs, x, yt.ToArray(), 0, 0);
            using var dxt = new Tensor(ctx, xs);
            Dropout.Backward(xt, dxt, 0.5f, 9u, training: false);
            TensorAssert.Close("Dropout inference backward", "p 0.5", xs, x, dxt.ToArray(), 0, 0);

            using var layer = new DropoutLayer("drop", 0.5f, seed: 3);
            Assert.Same(xt, layer.Forward(xt, training: false));
            Assert.Same(xt, layer.Backward(xt, needInputGradient: true));
            Assert.Equal(0, layer.Step);
            layer.Frozen = true; // a frozen layer is the identity even in training
            Assert.Same(xt, layer.Forward(xt, training: true));
            Assert.Equal(0, layer.Step);
        });
    }

    [Fact]
    public void Layer_masks_follow_seed_and_step()
    {
        var xs = new TensorShape(2, 3, 7, 5);
        double[] x = TestData.RoundToFloat(TestData.Uniform(131, xs.ElementCount, 0.5, 1.5)); // no zeros: y != 0 <=> kept
        double[] dy = TestData.RoundToFloat(TestData.Uniform(132, xs.ElementCount));
        const float p = 0.4f;
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var a = new DropoutLayer("a", p, seed: 42);
            using var b = new DropoutLayer("b", p, seed: 42);
            using var c = new DropoutLayer("c", p, seed: 43);

            float[] a0 = a.Forward(xt, training: true).ToArray();
            // The layer's step-0 mask is the reference's stream PcgHash(PcgHash(42) + 0); backward reuses it.
            bool[] keep0 = DropoutReference.Mask(DropoutReference.LayerStream(42, 0), xs.ElementCount, p);
            TensorAssert.Close("DropoutLayer step 0", "seed 42", xs, DropoutReference.Forward(x, keep0, p), a0, 1e-6, 1e-6);
            TensorAssert.Close("DropoutLayer step 0 backward", "seed 42", xs, DropoutReference.Backward(dy, keep0, p),
                a.Backward(dyt, needInputGradient: true)!.ToArray(), 1e-6, 1e-6);
            Assert.Equal(1, a.Step);

            Assert.Equal(a0, b.Forward(xt, training: true).ToArray());                       // same seed, same step: same mask
            Assert.NotEqual(a0, c.Forward(xt, training: true).ToArray());                    // other seed
            float[] a1 = a.Forward(xt, training: true).ToArray();
            Assert.NotEqual(a0, a1);                                                          // next step: new mask
            bool[] keep1 = DropoutReference.Mask(DropoutReference.LayerStream(42, 1), xs.ElementCount, p);
            TensorAssert.Close("DropoutLayer step 1", "seed 42", xs, DropoutReference.Forward(x, keep1, p), a1, 1e-6, 1e-6);

            b.Step = 1;                                                                       // resuming reproduces the run
            Assert.Equal(a1, b.Forward(xt, training: true).ToArray());
        });
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Probability_outside_zero_to_one_is_refused(float p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutLayer("drop", p));
        Assert.Equal("p", e.ParamName);
        Assert.Contains("[0, 1)", e.Message);
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3);
            Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(x, x, p, 0, training: true));
            Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Backward(x, x, p, 0, training: true));
        });
    }

    [Fact]
    public void Mismatched_shapes_name_both_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 4);
            using var y = new Tensor(ctx, 2, 4, 3);
            var e = Assert.Throws<ArgumentException>(() => Dropout.Forward(x, y, 0.5f, 0, training: true));
            Assert.Contains("[2,3,4]", e.Message);
            Assert.Contains("[2,4,3]", e.Message);
        });
    }
}
