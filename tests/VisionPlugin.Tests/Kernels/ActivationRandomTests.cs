using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// The randomized activations (RRelu, NoisyRelu): seeds select the masks in training and nothing in
/// inference, Backward recomputes exactly what Forward drew, and the draws have the promised distribution.
/// (Element-wise agreement with the CounterRandom-based reference is in <see cref="ActivationTests"/>.)
/// </summary>
[Collection("Gpu")]
public sealed class ActivationRandomTests(GpuFixture gpu)
{
    private static readonly TensorShape Shape = new(2, 16, 33, 35);

    private static ActivationOptions Randomized(ActivationKind kind, uint seed) => kind == ActivationKind.RRelu
        ? ActivationOptions.RRelu(0.1f, 0.4f, seed)
        : ActivationOptions.NoisyRelu(0.5f, seed);

    /// <summary>y = f(x) on the GPU for a constant input.</summary>
    private float[] Run(ActivationOptions options, bool training, float value) => gpu.Run(ctx =>
    {
        using var x = new Tensor(ctx, Shape);
        using var y = new Tensor(ctx, Shape);
        x.Fill(value);
        Activation.Forward(x, y, options, training);
        return y.ToArray();
    });

    [Theory]
    [InlineData(ActivationKind.RRelu)]
    [InlineData(ActivationKind.NoisyRelu)]
    public void Training_masks_depend_on_the_seed_and_only_on_it(ActivationKind kind)
    {
        // RRelu at x = -1 gives -a_i; NoisyRelu at x = 0 gives max(0, sigma * n_i).
        float input = kind == ActivationKind.RRelu ? -1f : 0f;
        float[] first = Run(Randomized(kind, 1), true, input);
        float[] again = Run(Randomized(kind, 1), true, input);
        float[] other = Run(Randomized(kind, 2), true, input);
        Assert.Equal(first, again);
        int differing = first.Zip(other).Count(p => p.First != p.Second);
        int comparable = first.Zip(other).Count(p => p.First != 0 || p.Second != 0);
        // NoisyRelu: both are 0 where both noises are negative (a quarter of the elements); elsewhere they differ.
        Assert.True(differing > 0.99 * comparable, $"{kind}: seeds 1 and 2 differ in only {differing} of {comparable} elements.");
    }

    [Fact]
    public void RRelu_inference_uses_the_mean_slope_whatever_the_seed()
    {
        float[] a = Run(Randomized(ActivationKind.RRelu, 1), false, -2f);
        float[] b = Run(Randomized(ActivationKind.RRelu, 2), false, -2f);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.Equal(-2f * (0.1f + 0.4f) / 2, v, 6));
    }

    [Fact]
    public void NoisyRelu_inference_is_plain_relu_whatever_the_seed()
    {
        Assert.All(Run(Randomized(ActivationKind.NoisyRelu, 1), false, 0.75f), v => Assert.Equal(0.75f, v));
        Assert.All(Run(Randomized(ActivationKind.NoisyRelu, 2), false, -0.75f), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RRelu_training_slopes_are_uniform_in_lower_upper()
    {
        const double lower = 0.1, upper = 0.4;
        double[] slopes = Run(Randomized(ActivationKind.RRelu, 77), true, -1f).Select(v => -(double)v).ToArray();
        Assert.All(slopes, a => Assert.InRange(a, lower - 1e-7, upper + 1e-7));
        double width = upper - lower;
        double meanError = slopes.Average() - (lower + upper) / 2;
        double standardError = width / Math.Sqrt(12.0 * slopes.Length);
        Assert.True(Math.Abs(meanError) < 5 * standardError, $"RRelu slope mean off by {meanError:G3} (5 standard errors = {5 * standardError:G3}).");
        double variance = slopes.Select(a => (a - (lower + upper) / 2) * (a - (lower + upper) / 2)).Average();
        Assert.InRange(variance, 0.97 * width * width / 12, 1.03 * width * width / 12);
        Assert.True(slopes.Min() < lower + 0.001 * width && slopes.Max() > upper - 0.001 * width, "RRelu slopes do not span [lower, upper].");
    }

    [Fact]
    public void NoisyRelu_training_noise_is_normal_with_standard_deviation_sigma()
    {
        // At x = 20 with sigma 0.5 the ReLU never cuts (40 standard deviations), so y - 20 is the noise itself.
        double[] noise = Run(Randomized(ActivationKind.NoisyRelu, 5), true, 20f).Select(v => v - 20.0).ToArray();
        double mean = noise.Average();
        double std = Math.Sqrt(noise.Select(n => (n - mean) * (n - mean)).Average());
        Assert.True(Math.Abs(mean) < 5 * 0.5 / Math.Sqrt(noise.Length), $"NoisyRelu noise mean {mean:G3} is not 0.");
        Assert.InRange(std, 0.5 * 0.98, 0.5 * 1.02);
        double withinOneSigma = noise.Count(n => Math.Abs(n) < 0.5) / (double)noise.Length;
        Assert.InRange(withinOneSigma, 0.6827 - 0.015, 0.6827 + 0.015);
    }

    [Theory]
    [InlineData(ActivationKind.RRelu)]
    [InlineData(ActivationKind.NoisyRelu)]
    public void Backward_recomputes_exactly_what_forward_drew(ActivationKind kind)
    {
        // With dy = 1: RRelu at x = -1 has dx = a_i = -y_i; NoisyRelu has dx = (y_i > 0 ? 1 : 0). Bit for bit.
        ActivationOptions options = Randomized(kind, 123);
        double[] input = TestData.Uniform(9, Shape.ElementCount);
        if (kind == ActivationKind.RRelu) input = input.Select(_ => -1.0).ToArray();
        var (y, dx) = gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, Shape, TestData.ToFloat(input));
            using var yt = new Tensor(ctx, Shape);
            using var dyt = new Tensor(ctx, Shape);
            using var dxt = new Tensor(ctx, Shape);
            dyt.Fill(1f);
            Activation.Forward(xt, yt, options, training: true);
            Activation.Backward(xt, yt, dyt, dxt, options, training: true);
            return (yt.ToArray(), dxt.ToArray());
        });
        float[] expected = kind == ActivationKind.RRelu ? y.Select(v => -v).ToArray() : y.Select(v => v > 0 ? 1f : 0f).ToArray();
        Assert.Equal(expected, dx);
    }
}
