using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>The affine warp kernel: exact pixel permutations (identity, flips, quarter turns, crops) and the CPU reference for general maps.</summary>
[Collection("Gpu")]
public sealed class AffineWarpTests(GpuFixture gpu)
{
    private float[] Warp(float[] values, TensorShape input, TensorShape output, AffineMatrix[] maps, Border border, int[]? sources = null) =>
        gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, input, values);
            using var y = new Tensor(ctx, output);
            AffineWarp.Apply(x, y, maps, border, sources ?? []);
            return y.ToArray();
        });

    [Fact]
    public void Identity_map_copies_every_pixel_exactly()
    {
        var shape = new TensorShape(2, 3, 7, 5);
        float[] values = Random01(1, shape.ElementCount);
        float[] result = Warp(values, shape, shape, [AffineMatrix.Identity, AffineMatrix.Identity], Border.Zero);
        Exact("identity warp", shape, values, result);
        // The pipeline's identity: an empty pipeline, and a flip with probability 0.
        Exact("empty pipeline", shape, values, Apply(gpu, new AugmentationPipeline(3), values, shape));
        Exact("flip p=0", shape, values, Apply(gpu, new AugmentationPipeline(3).FlipHorizontal(0).Rotate(0), values, shape));
    }

    [Fact]
    public void Horizontal_and_vertical_flips_map_known_pixels()
    {
        var shape = new TensorShape(1, 2, 4, 5);
        float[] values = Iota(shape.ElementCount);
        float[] h = Apply(gpu, new AugmentationPipeline(0).FlipHorizontal(1.0), values, shape);
        float[] v = Apply(gpu, new AugmentationPipeline(0).FlipVertical(1.0), values, shape);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++)
                {
                    Assert.Equal(At(values, shape, 0, c, y, 4 - x), At(h, shape, 0, c, y, x));
                    Assert.Equal(At(values, shape, 0, c, 3 - y, x), At(v, shape, 0, c, y, x));
                }
        // Known corners: the top-left of the mirror is the old top-right.
        Assert.Equal(4f, h[0]);
        Assert.Equal(15f, v[0]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Quarter_turn_equals_transpose_then_vertical_flip_exactly(int size)
    {
        var shape = new TensorShape(2, 3, size, size);
        float[] values = Random01(size, shape.ElementCount);
        float[] turned = Apply(gpu, new AugmentationPipeline(5).Affine(degrees: (90, 90)), values, shape);
        // Counter-clockwise on screen: transpose T[r][c] = in[c][r], then flip rows: out[r][c] = T[size-1-r][c] = in[c][size-1-r].
        var expected = new float[values.Length];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int r = 0; r < size; r++)
                    for (int col = 0; col < size; col++)
                        expected[((n * 3 + c) * size + r) * size + col] = At(values, shape, n, c, col, size - 1 - r);
        Exact($"rotate 90 ({size}x{size})", shape, expected, turned);

        // A half turn is both flips.
        float[] half = Apply(gpu, new AugmentationPipeline(5).Affine(degrees: (180, 180)), values, shape);
        float[] flips = Apply(gpu, new AugmentationPipeline(5).FlipHorizontal(1).FlipVertical(1), values, shape);
        Exact("rotate 180 vs flips", shape, flips, half);
    }

    [Fact]
    public void Flip_then_quarter_turn_compose_in_order()
    {
        var shape = new TensorShape(1, 1, 5, 5);
        float[] values = Iota(shape.ElementCount);
        float[] result = Apply(gpu, new AugmentationPipeline(0).FlipHorizontal(1).Affine(degrees: (90, 90)), values, shape);
        // Mirror first: m[r][c] = in[r][4-c]; then turn: out[r][c] = m[c][4-r] = in[c][r] (a transpose).
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(values[c * 5 + r], result[r * 5 + c]);
    }

    [Fact]
    public void Translation_crop_maps_a_known_region()
    {
        var input = new TensorShape(1, 2, 9, 8);
        var output = new TensorShape(1, 2, 4, 3);
        float[] values = Iota(input.ElementCount);
        float[] crop = Warp(values, input, output, [AffineMatrix.Translation(5, 2)], Border.Zero);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 3; x++)
                    Assert.Equal(At(values, input, 0, c, y + 2, x + 5), At(crop, output, 0, c, y, x));

        float[] centre = Apply(gpu, new AugmentationPipeline(0).CenterCrop(5, 4), values, input);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(At(values, input, 0, 1, y + 2, x + 2), At(centre, new TensorShape(1, 2, 5, 4), 0, 1, y, x));
    }

    [Fact]
    public void Random_crop_copies_a_whole_pixel_window_at_varying_offsets()
    {
        var input = new TensorShape(12, 1, 10, 9);
        var output = new TensorShape(12, 1, 6, 4);
        float[] single = Iota(10 * 9);
        float[] values = Enumerable.Repeat(single, 12).SelectMany(v => v).ToArray();
        float[] crops = Apply(gpu, new AugmentationPipeline(7).RandomCrop(6, 4), values, input, step: 3);
        var offsets = new HashSet<(int, int)>();
        for (int n = 0; n < 12; n++)
        {
            // Pixel values are y * 9 + x, so the top-left value names the window.
            int topLeft = (int)At(crops, output, n, 0, 0, 0), top = topLeft / 9, left = topLeft % 9;
            offsets.Add((top, left));
            Assert.InRange(top, 0, 4);
            Assert.InRange(left, 0, 5);
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 4; x++)
                    Assert.Equal((top + y) * 9 + left + x, At(crops, output, n, 0, y, x));
        }
        Assert.True(offsets.Count > 3, $"12 random crops used only {offsets.Count} offsets");
    }

    public static TheoryData<int> Borders => new() { (int)BorderMode.Constant, (int)BorderMode.Reflect, (int)BorderMode.Edge };

    [Theory]
    [MemberData(nameof(Borders))]
    public void General_maps_match_the_cpu_reference(int mode)
    {
        var input = new TensorShape(3, 2, 11, 13);
        var output = new TensorShape(4, 2, 9, 10);
        float[] values = Random01(40 + mode, input.ElementCount);
        var border = new Border((BorderMode)mode, 0.25f);
        AffineMatrix[] maps =
        [
            // rotation + shear + zoom + shift about the centre (samples outside the image: the border matters)
            (AffineMatrix.Translation(1.3, -0.7) * (AffineMatrix.Rotation(33) * AffineMatrix.Shear(12, -5) * AffineMatrix.Scaling(1.2, 1.2)).About(6.5, 5.5)).Inverse(),
            // resized crop that enlarges
            AffineMatrix.CropToRectangle(2.5, 1.25, 6, 4.5, 10, 9),
            // strong shrink: 3 x 3 taps
            AffineMatrix.Scaling(2.6, 2.2) * AffineMatrix.Translation(-3, -2),
            // reflection across both axes plus a small rotation
            AffineMatrix.Rotation(-17).About(5, 4.5) * AffineMatrix.FlipX(10) * AffineMatrix.FlipY(9),
        ];
        int[] sources = [2, 0, 1, 2];
        float[] result = Warp(values, input, output, maps, border, sources);
        double[] expected = AffineReference.Warp(values, input, output, maps, border, sources);
        TensorAssert.Close("AffineWarp", $"border {border}", output, expected, result, atol: 2e-6, rtol: 0);
        Assert.Equal(3, AffineWarp.Taps(maps[2]));
    }

    [Fact]
    public void Random_resized_crops_match_the_cpu_reference_of_their_maps()
    {
        // RandomResizedCrop maps are crop-to-rectangle maps: check one GPU pass against the reference through the same draws.
        var input = new TensorShape(4, 3, 20, 24);
        var transform = new RandomResizedCropTransform(8, 8, (0.2, 1.0), (0.75, 4.0 / 3.0));
        var pipeline = new AugmentationPipeline(11).Then(transform);
        float[] values = Random01(5, input.ElementCount);
        float[] result = Apply(gpu, pipeline, values, input, step: 2);
        uint stage = AugmentationRandom.StageSeed(11, 2, 0);
        var maps = new AffineMatrix[4];
        for (int n = 0; n < 4; n++)
        {
            SampleDraws draws = AugmentationRandom.ForSample(stage, n);
            Assert.True(draws.Bernoulli(1));
            var (x, y, w, h) = transform.Window(ref draws, 20, 24);
            Assert.InRange(w * h, 0.2 * 480 * 0.8, 480);
            maps[n] = AffineMatrix.CropToRectangle(x, y, w, h, 8, 8);
        }
        var output = new TensorShape(4, 3, 8, 8);
        TensorAssert.Close("RandomResizedCrop", "seed 11 step 2", output, AffineReference.Warp(values, input, output, maps, Border.Edge), result, atol: 2e-6, rtol: 0);
    }

    [Fact]
    public void Invalid_warp_arguments_are_rejected_with_their_shapes()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 4, 4);
            using var y = new Tensor(ctx, 2, 3, 4, 4);
            using var wrongChannels = new Tensor(ctx, 2, 1, 4, 4);
            var identity = new[] { AffineMatrix.Identity, AffineMatrix.Identity };
            Assert.Contains("in place", Assert.Throws<ArgumentException>(() => AffineWarp.Apply(x, x, identity, Border.Zero)).Message);
            Assert.Contains("[2,1,4,4]", Assert.Throws<ArgumentException>(() => AffineWarp.Apply(x, wrongChannels, identity, Border.Zero)).Message);
            Assert.Throws<ArgumentException>(() => AffineWarp.Apply(x, y, [AffineMatrix.Identity], Border.Zero));
            var bad = Assert.Throws<ArgumentOutOfRangeException>(() => AffineWarp.Apply(x, y, identity, Border.Zero, [0, 5]));
            Assert.Equal(5, bad.ActualValue);
        });
    }
}
