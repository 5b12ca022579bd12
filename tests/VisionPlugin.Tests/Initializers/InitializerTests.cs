using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Tests.Initializers;

/// <summary>
/// Statistical checks of the weight initializers on a large conv weight [256, 128, 3, 3]
/// (fanIn = 128 * 9 = 1152, fanOut = 256 * 9 = 2304, 294912 samples): the sample mean is near 0,
/// the sample variance within 5% of the variance the fan rule prescribes, uniform draws stay inside
/// their bounds, normal draws have the normal share within one standard deviation, and the same
/// seed gives the same values.
/// </summary>
public sealed class InitializerTests
{
    private static readonly TensorShape ConvWeight = new(256, 128, 3, 3);
    private const int FanIn = 128 * 9, FanOut = 256 * 9;

    public static TheoryData<string> Names => new(Cases.Keys);

    /// <summary>name -> (initializer, expected variance, uniform limit or 0 for a normal draw).</summary>
    private static readonly Dictionary<string, (Initializer Initializer, double Variance, double UniformLimit)> Cases = new()
    {
        ["xavier normal"] = (Initializer.XavierNormal(), 2.0 / (FanIn + FanOut), 0),
        ["xavier normal gain 2"] = (Initializer.XavierNormal(gain: 2), 4 * 2.0 / (FanIn + FanOut), 0),
        ["xavier uniform"] = (Initializer.XavierUniform(), 2.0 / (FanIn + FanOut), Math.Sqrt(6.0 / (FanIn + FanOut))),
        ["he normal"] = (Initializer.HeNormal(), 2.0 / FanIn, 0),
        ["he uniform"] = (Initializer.HeUniform(), 2.0 / FanIn, Math.Sqrt(6.0 / FanIn)),
        ["lecun normal"] = (Initializer.LeCunNormal(), 1.0 / FanIn, 0),
    };

    private static float[] Draw(Initializer initializer, TensorShape shape, int seed)
    {
        var values = new float[shape.ElementCount];
        initializer.Fill(values, shape, new Random(seed));
        return values;
    }

    [Fact]
    public void Fans_of_conv_linear_and_vector_shapes()
    {
        Assert.Equal((FanIn, FanOut), Initializer.Fans(ConvWeight));
        Assert.Equal((64, 10), Initializer.Fans(new TensorShape(10, 64)));          // linear [out, in]
        Assert.Equal((1 * 9, 32 * 9), Initializer.Fans(new TensorShape(32, 1, 3, 3)));  // depthwise
        Assert.Equal((7, 7), Initializer.Fans(new TensorShape(7)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Mean_is_zero_and_variance_matches_the_fan_rule(string name)
    {
        var (initializer, variance, limit) = Cases[name];
        float[] values = Draw(initializer, ConvWeight, seed: 1);
        int n = values.Length;
        double mean = values.Average(v => (double)v);
        double sampleVariance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double std = Math.Sqrt(variance);

        // The mean of n draws has standard error std / sqrt(n); allow 5 of them (~0.9% of std here).
        Assert.True(Math.Abs(mean) < 5 * std / Math.Sqrt(n), $"{name}: mean {mean:G4}, std {std:G4}");
        Assert.True(Math.Abs(sampleVariance / variance - 1) < 0.05,
            $"{name}: sample variance {sampleVariance:G6}, expected {variance:G6} (ratio {sampleVariance / variance:F4})");

        double withinOneStd = values.Count(v => Math.Abs(v) <= std) / (double)n;
        if (limit > 0)
        {
            Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, limit));
            Assert.True(values.Max() > 0.99 * limit && values.Min() < -0.99 * limit, $"{name}: range [{values.Min()}, {values.Max()}] vs limit {limit:G4}");
            // Uniform on [-L, L] with L = sqrt(3) std: P(|x| <= std) = 1 / sqrt(3).
            Assert.Equal(1 / Math.Sqrt(3), withinOneStd, 0.01);
        }
        else
        {
            Assert.Equal(0.6827, withinOneStd, 0.01);  // normal: P(|x| <= std)
            Assert.True(values.Max() > 3 * std, $"{name}: a normal sample of this size reaches beyond 3 std; max {values.Max():G4}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_seed_gives_the_same_values_and_another_seed_does_not(string name)
    {
        var shape = new TensorShape(16, 8, 3, 3);
        Initializer initializer = Cases[name].Initializer;
        Assert.Equal(Draw(initializer, shape, 42), Draw(initializer, shape, 42));
        Assert.NotEqual(Draw(initializer, shape, 42), Draw(initializer, shape, 43));
    }

    [Fact]
    public void Zeros_and_constant_fill_every_element()
    {
        Assert.All(Draw(Initializer.Zeros(), new TensorShape(3, 5), 1), v => Assert.Equal(0f, v));
        Assert.All(Draw(Initializer.Constant(1f), new TensorShape(37), 1), v => Assert.Equal(1f, v));
        Assert.All(Draw(Initializer.Constant(-0.25f), new TensorShape(2, 3, 5), 1), v => Assert.Equal(-0.25f, v));
    }

    [Fact]
    public void Linear_weight_uses_in_and_out_features()
    {
        // Linear [out 200, in 300]: He normal variance 2 / 300.
        float[] values = Draw(Initializer.HeNormal(), new TensorShape(200, 300), 5);
        double variance = values.Sum(v => (double)v * v) / values.Length;
        Assert.True(Math.Abs(variance / (2.0 / 300) - 1) < 0.05, $"variance {variance:G6}, expected {2.0 / 300:G6}");
    }
}

/// <summary>Initialize uploads exactly what Fill draws.</summary>
[Collection("Gpu")]
public sealed class InitializerUploadTests(GpuFixture gpu)
{
    [Fact]
    public void Initialize_uploads_the_drawn_values()
    {
        var shape = new TensorShape(4, 3, 3, 3);
        var expected = new float[shape.ElementCount];
        Initializer.XavierUniform().Fill(expected, shape, new Random(9));
        float[] actual = gpu.Run(ctx =>
        {
            using var tensor = new Tensor(ctx, shape);
            Initializer.XavierUniform().Initialize(tensor, new Random(9));
            return tensor.ToArray();
        });
        Assert.Equal(expected, actual);
    }
}
