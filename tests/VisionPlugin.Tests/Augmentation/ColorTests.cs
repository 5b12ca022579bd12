using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Brightness, contrast, saturation, colour shifts and PCA colour augmentation: the statistics they promise.</summary>
[Collection("Gpu")]
public sealed class ColorTests(GpuFixture gpu)
{
    private static readonly TensorShape Shape = new(3, 3, 12, 10);

    private static double Luma(float[] v, TensorShape s, int n, int p)
    {
        int plane = s.H * s.W, basis = n * 3 * plane + p;
        return 0.299 * v[basis] + 0.587 * v[basis + plane] + 0.114 * v[basis + 2 * plane];
    }

    private static (double Mean, double Std) LumaStats(float[] v, TensorShape s, int n)
    {
        int plane = s.H * s.W;
        double[] luma = Enumerable.Range(0, plane).Select(p => Luma(v, s, n, p)).ToArray();
        double mean = luma.Average();
        return (mean, Math.Sqrt(luma.Select(l => (l - mean) * (l - mean)).Average()));
    }

    private static double ChannelMean(float[] v, TensorShape s, int n, int c) =>
        Enumerable.Range(0, s.H * s.W).Average(p => v[(n * 3 + c) * s.H * s.W + p]);

    private static AugmentationPipeline Jitter((double, double) b, (double, double) c, (double, double) s) =>
        new AugmentationPipeline(2).WithoutClipping().Then(new ColorJitterTransform(b, c, s, 1));

    [Fact]
    public void Brightness_factor_scales_every_channel_mean()
    {
        float[] values = Random01(1, Shape.ElementCount);
        float[] result = Apply(gpu, Jitter((0.6, 0.6), (1, 1), (1, 1)), values, Shape);
        for (int n = 0; n < Shape.N; n++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(0.6 * ChannelMean(values, Shape, n, c), ChannelMean(result, Shape, n, c), 2e-6);
    }

    [Fact]
    public void Contrast_keeps_the_grey_mean_and_scales_its_spread()
    {
        float[] values = Random01(2, Shape.ElementCount);
        float[] result = Apply(gpu, Jitter((1, 1), (0.5, 0.5), (1, 1)), values, Shape);
        for (int n = 0; n < Shape.N; n++)
        {
            var before = LumaStats(values, Shape, n);
            var after = LumaStats(result, Shape, n);
            Assert.Equal(before.Mean, after.Mean, 2e-6);
            Assert.Equal(0.5 * before.Std, after.Std, 2e-6);
        }
    }

    [Fact]
    public void Saturation_zero_gives_grey_pixels_with_the_input_luma()
    {
        float[] values = Random01(3, Shape.ElementCount);
        float[] result = Apply(gpu, Jitter((1, 1), (1, 1), (0, 0)), values, Shape);
        int plane = Shape.H * Shape.W;
        for (int n = 0; n < Shape.N; n++)
            for (int p = 0; p < plane; p++)
            {
                int basis = n * 3 * plane + p;
                Assert.Equal(result[basis], result[basis + plane]);
                Assert.Equal(result[basis], result[basis + 2 * plane]);
                Assert.Equal(Luma(values, Shape, n, p), result[basis], 2e-6);
            }
    }

    [Fact]
    public void Jitter_matrix_equals_torchvision_order_brightness_contrast_saturation()
    {
        // Reference: x1 = b x; x2 = c x1 + (1 - c) mean(gray(x1)); x3 = s x2 + (1 - s) gray(x2); no clipping.
        float[] values = Random01(4, Shape.ElementCount);
        (double B, double C, double S)[] factors = [(1.3, 0.7, 1.6), (0.8, 1.4, 0.3), (1.0, 0.0, 2.0)];
        ColorMatrix[] matrices = factors.Select(f => ColorMatrix.Jitter(f.B, f.C, f.S)).ToArray();
        float[] result = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, Shape, values);
            ColorAdjust.Apply(x, x, matrices, clip: null); // in place
            return x.ToArray();
        });
        int plane = Shape.H * Shape.W;
        var expected = new double[values.Length];
        for (int n = 0; n < Shape.N; n++)
        {
            var (b, c, s) = factors[n];
            double meanGray = Enumerable.Range(0, plane).Average(p => b * Luma(values, Shape, n, p));
            for (int p = 0; p < plane; p++)
            {
                int basis = n * 3 * plane + p;
                double[] x2 = [.. Enumerable.Range(0, 3).Select(ch => c * b * values[basis + ch * plane] + (1 - c) * meanGray)];
                double gray = 0.299 * x2[0] + 0.587 * x2[1] + 0.114 * x2[2];
                for (int ch = 0; ch < 3; ch++) expected[basis + ch * plane] = s * x2[ch] + (1 - s) * gray;
            }
        }
        TensorAssert.Close("ColorAdjust jitter", "b,c,s per sample", Shape, expected, result, atol: 1e-5, rtol: 1e-5);
    }

    [Fact]
    public void Clipping_keeps_values_in_the_pipeline_range()
    {
        float[] values = Random01(5, Shape.ElementCount);
        float[] result = Apply(gpu, new AugmentationPipeline(1).ColorJitter(brightness: 0.9, contrast: 0.9), values, Shape);
        Assert.All(result, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(result, v => v == 1f);
    }

    [Fact]
    public void Colour_shift_adds_one_bounded_constant_per_channel()
    {
        float[] values = Random01(6, Shape.ElementCount);
        float[] result = Apply(gpu, new AugmentationPipeline(9).WithoutClipping().ColorShift(0.1), values, Shape, step: 4);
        int plane = Shape.H * Shape.W;
        var shifts = new HashSet<float>();
        for (int n = 0; n < Shape.N; n++)
            for (int c = 0; c < 3; c++)
            {
                int basis = (n * 3 + c) * plane;
                double shift = result[basis] - values[basis];
                Assert.InRange(shift, -0.1, 0.1);
                for (int p = 0; p < plane; p++) Assert.Equal(shift, result[basis + p] - values[basis + p], 2e-6);
                shifts.Add((float)Math.Round(shift, 4));
            }
        Assert.True(shifts.Count >= 8, "9 channel shifts should differ");
    }

    [Fact]
    public void Pca_augmentation_shifts_along_the_eigenvectors_with_alexnet_coefficients()
    {
        // A basis whose only non-zero eigenvalue belongs to v1: every offset must be parallel to v1, of size |a1| * l1.
        double norm = Math.Sqrt(1 + 0.25 + 0.0625);
        (double R, double G, double B) v1 = (1 / norm, 0.5 / norm, -0.25 / norm);
        var basis = new PcaColorBasis([2.0, 0, 0], [v1, (-0.5 / Math.Sqrt(1.25), 1 / Math.Sqrt(1.25), 0), (0.2, 0.1, 0.97)]);
        var shape = new TensorShape(400, 3, 2, 2);
        float[] values = Random01(7, shape.ElementCount);
        float[] result = Apply(gpu, new AugmentationPipeline(12).WithoutClipping().PcaColor(basis, alphaStd: 0.1), values, shape);
        var alphas = new List<double>();
        for (int n = 0; n < shape.N; n++)
        {
            int at = n * 12;
            double dr = result[at] - values[at], dg = result[at + 4] - values[at + 4], db = result[at + 8] - values[at + 8];
            double along = dr * v1.R + dg * v1.G + db * v1.B;
            double across = Math.Sqrt(Math.Max(0, dr * dr + dg * dg + db * db - along * along));
            Assert.True(across < 1e-5, $"sample {n}: offset ({dr}, {dg}, {db}) leaves the v1 direction by {across}");
            alphas.Add(along / 2.0);
        }
        double mean = alphas.Average(), std = Math.Sqrt(alphas.Select(a => (a - mean) * (a - mean)).Average());
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.085, 0.115);

        // With the ImageNet basis the offset's coordinates in the eigenbasis are a_i * l_i.
        (double, double, double) offset = PcaColorBasis.ImageNet.Offset(1, -2, 3);
        var vectors = PcaColorBasis.ImageNet.Eigenvectors;
        double[] lambdas = [.. PcaColorBasis.ImageNet.Eigenvalues];
        double[] coordinates = [.. vectors.Select(v => v.R * offset.Item1 + v.G * offset.Item2 + v.B * offset.Item3)];
        Assert.Equal(1 * lambdas[0], coordinates[0], 1e-3);
        Assert.Equal(-2 * lambdas[1], coordinates[1], 1e-3);
        Assert.Equal(3 * lambdas[2], coordinates[2], 1e-3);
    }

    [Fact]
    public void Pca_basis_from_images_diagonalizes_their_colour_covariance()
    {
        // Colours spread mostly along (1,1,1)/sqrt3, a little along (1,-1,0)/sqrt2.
        var random = new Random(3);
        var shape = new TensorShape(2, 3, 40, 50);
        int plane = 40 * 50;
        var values = new float[shape.ElementCount];
        for (int n = 0; n < 2; n++)
            for (int p = 0; p < plane; p++)
            {
                double a = 0.3 * (random.NextDouble() - 0.5), b = 0.05 * (random.NextDouble() - 0.5);
                double[] rgb = [0.5 + a / Math.Sqrt(3) + b / Math.Sqrt(2), 0.4 + a / Math.Sqrt(3) - b / Math.Sqrt(2), 0.45 + a / Math.Sqrt(3)];
                for (int c = 0; c < 3; c++) values[(n * 3 + c) * plane + p] = (float)rgb[c];
            }
        PcaColorBasis basis = PcaColorBasis.FromImages(values, shape);
        Assert.True(basis.Eigenvalues[0] > basis.Eigenvalues[1] && basis.Eigenvalues[1] > basis.Eigenvalues[2]);
        Assert.Equal(0.3 * 0.3 / 12, basis.Eigenvalues[0], 3e-4);   // variance of U(-0.15, 0.15)
        Assert.Equal(0.05 * 0.05 / 12, basis.Eigenvalues[1], 3e-5);
        Assert.True(basis.Eigenvalues[2] < 1e-6);
        var v = basis.Eigenvectors[0];
        Assert.Equal(1, Math.Abs(v.R + v.G + v.B) / Math.Sqrt(3), 1e-3);

        // Cov v = l v for a given covariance, with orthonormal vectors.
        double[,] cov = { { 0.04, 0.01, -0.005 }, { 0.01, 0.03, 0.002 }, { -0.005, 0.002, 0.02 } };
        PcaColorBasis exact = PcaColorBasis.FromCovariance(cov);
        for (int i = 0; i < 3; i++)
        {
            var e = exact.Eigenvectors[i];
            double[] ev = [e.R, e.G, e.B];
            for (int r = 0; r < 3; r++)
                Assert.Equal(exact.Eigenvalues[i] * ev[r], cov[r, 0] * ev[0] + cov[r, 1] * ev[1] + cov[r, 2] * ev[2], 1e-12);
            for (int j = 0; j < 3; j++)
            {
                var f = exact.Eigenvectors[j];
                Assert.Equal(i == j ? 1 : 0, e.R * f.R + e.G * f.G + e.B * f.B, 1e-12);
            }
        }
        Assert.Throws<ArgumentException>(() => PcaColorBasis.FromCovariance(new double[,] { { 1, 2, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }));
    }

    [Fact]
    public void Colour_stages_need_rgb_images()
    {
        var pipeline = new AugmentationPipeline().ColorJitter(0.2);
        var error = Assert.Throws<ArgumentException>(() => pipeline.OutputShape(new TensorShape(2, 4, 8, 8)));
        Assert.Contains("[2,4,8,8]", error.Message);
    }
}
