using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Gaussian noise statistics and its CPU mirror; cutout's filled area.</summary>
[Collection("Gpu")]
public sealed class NoiseAndCutoutTests(GpuFixture gpu)
{
    [Fact]
    public void Noise_has_the_configured_standard_deviation_and_the_cpu_mirror_values()
    {
        var shape = new TensorShape(4, 3, 48, 40);
        float[] values = Enumerable.Repeat(0.5f, shape.ElementCount).ToArray();
        var pipeline = new AugmentationPipeline(21).WithoutClipping().GaussianNoise(0.05);
        float[] result = Apply(gpu, pipeline, values, shape, step: 6);
        double[] noise = result.Select(v => v - 0.5).ToArray();
        double mean = noise.Average(), std = Math.Sqrt(noise.Select(z => (z - mean) * (z - mean)).Average());
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.05 * 0.97, 0.05 * 1.03);

        // Element i carries sigma * random_normal(stageSeed, i): the same numbers CounterRandom.Normal gives.
        uint stage = AugmentationRandom.StageSeed(21, 6, 0);
        double[] expected = Enumerable.Range(0, shape.ElementCount).Select(i => 0.5 + 0.05 * CounterRandom.Normal(stage, (uint)i)).ToArray();
        TensorAssert.Close("GaussianNoise", "sigma 0.05", shape, expected, result, atol: 2e-6, rtol: 0);
    }

    [Fact]
    public void Noise_with_probability_zero_or_zero_std_leaves_images_alone_and_clipping_bounds_them()
    {
        var shape = new TensorShape(2, 3, 8, 8);
        float[] values = Random01(3, shape.ElementCount);
        Exact("noise p=0", shape, values, Apply(gpu, new AugmentationPipeline(1).GaussianNoise(0.3, probability: 0), values, shape));
        Exact("noise std 0", shape, values, Apply(gpu, new AugmentationPipeline(1).GaussianNoise(0), values, shape));
        float[] clipped = Apply(gpu, new AugmentationPipeline(1).GaussianNoise(0.5), values, shape);
        Assert.All(clipped, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Cutout_fills_the_configured_area_fraction_and_nothing_else()
    {
        var shape = new TensorShape(6, 3, 40, 40);
        float[] values = Random01(4, shape.ElementCount);
        // A quarter of the image, square: a 20 x 20 hole filled with -1 in every channel.
        var pipeline = new AugmentationPipeline(8).Cutout(holes: 1, area: (0.25, 0.25), ratio: (1, 1), fill: -1f);
        float[] result = Apply(gpu, pipeline, values, shape);
        int plane = 40 * 40;
        var corners = new HashSet<int>();
        for (int n = 0; n < shape.N; n++)
        {
            int filled = 0, first = -1;
            for (int p = 0; p < plane; p++)
            {
                bool erased = result[n * 3 * plane + p] == -1f;
                for (int c = 0; c < 3; c++)
                {
                    int at = (n * 3 + c) * plane + p;
                    Assert.Equal(erased ? -1f : values[at], result[at]);
                }
                if (!erased) continue;
                filled++;
                if (first < 0) first = p;
            }
            Assert.Equal(400, filled);
            corners.Add(first);
            int x0 = first % 40, y0 = first / 40;
            Assert.True(x0 <= 20 && y0 <= 20, $"hole at ({x0},{y0}) leaves the image");
            Assert.Equal(-1f, result[n * 3 * plane + (y0 + 19) * 40 + x0 + 19]); // a 20 x 20 square
        }
        Assert.True(corners.Count > 2, "holes should move between images");
    }

    [Fact]
    public void Cutout_areas_stay_inside_the_configured_range()
    {
        var shape = new TensorShape(16, 1, 30, 30);
        float[] values = Enumerable.Repeat(1f, shape.ElementCount).ToArray();
        float[] result = Apply(gpu, new AugmentationPipeline(2).Cutout(holes: 1, area: (0.05, 0.2), fill: 0f), values, shape, step: 1);
        for (int n = 0; n < shape.N; n++)
        {
            double fraction = result.Skip(n * 900).Take(900).Count(v => v == 0f) / 900.0;
            // Whole-pixel rounding of sides near sqrt(area * ratio) moves the area by a few per cent.
            Assert.InRange(fraction, 0.05 * 0.8, 0.2 * 1.15);
        }
    }

    [Fact]
    public void Cutout_op_erases_the_given_rectangles()
    {
        var shape = new TensorShape(2, 2, 5, 6);
        float[] values = Iota(shape.ElementCount);
        float[] result = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, shape, values);
            using var y = new Tensor(ctx, shape);
            Cutout.Apply(x, y, [new PixelRect(1, 2, 3, 2), new PixelRect(0, 0, 1, 1), PixelRect.Empty, new PixelRect(4, 4, 5, 5)], 2, 9.5f);
            return y.ToArray();
        });
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 2; c++)
                for (int yy = 0; yy < 5; yy++)
                    for (int xx = 0; xx < 6; xx++)
                    {
                        bool inside = n == 0 ? (xx >= 1 && xx < 4 && yy >= 2 && yy < 4) || (xx == 0 && yy == 0) : xx >= 4 && yy >= 4;
                        Assert.Equal(inside ? 9.5f : At(values, shape, n, c, yy, xx), At(result, shape, n, c, yy, xx));
                    }
    }
}
