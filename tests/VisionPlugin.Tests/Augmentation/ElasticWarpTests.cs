using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Local elastic warping: amplitude 0 is the identity; pixels move smoothly by at most the amplitude.</summary>
[Collection("Gpu")]
public sealed class ElasticWarpTests(GpuFixture gpu)
{
    /// <summary>Channel 0 holds x, channel 1 holds y (pixel indices): bilinear samples of it read the sample point itself.</summary>
    private static float[] CoordinateRamps(TensorShape shape)
    {
        var values = new float[shape.ElementCount];
        int plane = shape.H * shape.W;
        for (int n = 0; n < shape.N; n++)
            for (int p = 0; p < plane; p++)
            {
                values[n * 2 * plane + p] = p % shape.W;
                values[n * 2 * plane + plane + p] = p / shape.W;
            }
        return values;
    }

    [Fact]
    public void Amplitude_zero_is_the_identity()
    {
        var shape = new TensorShape(2, 3, 9, 11);
        float[] values = Random01(1, shape.ElementCount);
        Exact("elastic amplitude 0", shape, values, Apply(gpu, new AugmentationPipeline(4).ElasticWarp(0, gridSize: 3), values, shape));
        Exact("elastic p=0", shape, values, Apply(gpu, new AugmentationPipeline(4).ElasticWarp(5, probability: 0), values, shape));
    }

    [Theory]
    [InlineData(3.0, 4)]
    [InlineData(1.5, 9)]
    public void Pixels_move_by_at_most_the_amplitude(double amplitude, int grid)
    {
        var shape = new TensorShape(4, 2, 32, 40);
        float[] values = CoordinateRamps(shape);
        float[] result = Apply(gpu, new AugmentationPipeline(6).ElasticWarp(amplitude, grid, Border.Edge), values, shape, step: 2);
        int plane = shape.H * shape.W;
        for (int n = 0; n < shape.N; n++)
        {
            double largest = 0, largestStep = 0;
            for (int p = 0; p < plane; p++)
            {
                int x = p % shape.W, y = p / shape.W;
                double dx = result[n * 2 * plane + p] - x, dy = result[n * 2 * plane + plane + p] - y;
                double length = Math.Sqrt(dx * dx + dy * dy);
                Assert.True(length <= amplitude + 1e-3, $"sample {n} pixel ({x},{y}) moved {length:F4} > {amplitude}");
                largest = Math.Max(largest, length);
                if (x > amplitude + 1 && x < shape.W - amplitude - 2)
                {
                    // Smooth away from the clamped edges: neighbouring displacements differ by about 2 a (G - 1) / W at most.
                    double leftDx = result[n * 2 * plane + p - 1] - (x - 1);
                    largestStep = Math.Max(largestStep, Math.Abs(dx - leftDx));
                }
            }
            Assert.True(largest > 0.3 * amplitude, $"sample {n} barely moved ({largest:F3} of {amplitude})");
            Assert.True(largestStep <= 2 * amplitude * (grid - 1) / shape.W + 1e-3, $"sample {n} field jumps by {largestStep:F3} between neighbours");
        }
    }

    [Fact]
    public void Every_image_gets_its_own_field()
    {
        var shape = new TensorShape(2, 2, 16, 16);
        float[] single = CoordinateRamps(new TensorShape(1, 2, 16, 16));
        float[] values = [.. single, .. single];
        float[] result = Apply(gpu, new AugmentationPipeline(6).ElasticWarp(2.0, 4, Border.Edge), values, shape);
        Assert.NotEqual(result.Take(512), result.Skip(512));
    }

    [Fact]
    public void Elastic_op_rejects_bad_options_naming_the_value()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 1, 4, 4);
            using var y = new Tensor(ctx, 1, 1, 4, 4);
            var grid = Assert.Throws<ArgumentOutOfRangeException>(() => ElasticWarp.Apply(x, y, [1f], 1, 0, Border.Edge));
            Assert.Equal(1, grid.ActualValue);
            var amplitude = Assert.Throws<ArgumentOutOfRangeException>(() => ElasticWarp.Apply(x, y, [-2f], 4, 0, Border.Edge));
            Assert.Equal(-2f, amplitude.ActualValue);
            Assert.Throws<ArgumentException>(() => ElasticWarp.Apply(x, x, [1f], 4, 0, Border.Edge));
        });
    }
}
