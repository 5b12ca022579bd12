using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Compositing RGBA cut-outs onto solid, gradient and image backgrounds.</summary>
[Collection("Gpu")]
public sealed class CompositeTests(GpuFixture gpu)
{
    private const int H = 6, W = 8;

    /// <summary>Random foreground colours; alpha 1 in columns 0-2, 0.5 in column 3, 0 in columns 4-7.</summary>
    private static float[] Foreground(int n)
    {
        float[] values = Random01(n, n * 4 * H * W);
        int plane = H * W;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < plane; p++)
            {
                int x = p % W;
                values[(i * 4 + 3) * plane + p] = x < 3 ? 1f : x == 3 ? 0.5f : 0f;
            }
        return values;
    }

    private float[] Composite(float[] rgba, int n, BackgroundSample[] backgrounds, float[]? imageValues = null, TensorShape? imageShape = null) =>
        gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, new TensorShape(n, 4, H, W), rgba);
            using var y = new Tensor(ctx, n, 3, H, W);
            using Tensor? bg = imageValues is null ? null : Tensor.FromData(ctx, imageShape!.Value, imageValues);
            ImageBatch? images = null;
            if (bg is not null) images = bg;
            AlphaComposite.Apply(x, y, backgrounds, images);
            return y.ToArray();
        });

    [Fact]
    public void Foreground_shows_where_alpha_is_one_and_background_where_zero()
    {
        float[] rgba = Foreground(2);
        BackgroundSample[] backgrounds = [BackgroundSample.Solid(0.1f, 0.2f, 0.3f), BackgroundSample.Solid(0.9f, 0.8f, 0.7f)];
        float[] result = Composite(rgba, 2, backgrounds);
        var outShape = new TensorShape(2, 3, H, W);
        var inShape = new TensorShape(2, 4, H, W);
        for (int n = 0; n < 2; n++)
        {
            float[] color = n == 0 ? [0.1f, 0.2f, 0.3f] : [0.9f, 0.8f, 0.7f];
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++)
                    {
                        float fg = At(rgba, inShape, n, c, y, x), actual = At(result, outShape, n, c, y, x);
                        if (x < 3) Assert.Equal(fg, actual);
                        else if (x > 3) Assert.Equal(color[c], actual);
                        else Assert.Equal(0.5 * fg + 0.5 * color[c], actual, 1e-6);
                    }
        }
    }

    [Fact]
    public void Gradient_ramps_between_its_colours_along_the_direction()
    {
        float[] rgba = Foreground(1);
        var gradient = new BackgroundSample(BackgroundKind.Gradient, (0, 0, 0), (1, 0.5f, 0.25f), (1, 0));
        float[] result = Composite(rgba, 1, [gradient]);
        var shape = new TensorShape(1, 3, H, W);
        for (int x = 4; x < W; x++)
        {
            // t = 0.5 + ((x + 0.5) / W - 0.5) * 1
            double t = (x + 0.5) / W;
            Assert.Equal(t, At(result, shape, 0, 0, 2, x), 1e-6);
            Assert.Equal(0.5 * t, At(result, shape, 0, 1, 5, x), 1e-6);
            Assert.Equal(0.25 * t, At(result, shape, 0, 2, 0, x), 1e-6);
        }
    }

    [Fact]
    public void Image_backgrounds_show_the_crop_of_the_chosen_image()
    {
        float[] rgba = Foreground(2);
        // Image 0 is a horizontal ramp (value = x), image 1 a constant 0.75.
        var imageShape = new TensorShape(2, 3, 10, 20);
        var images = new float[imageShape.ElementCount];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 200; p++)
            {
                images[c * 200 + p] = p % 20;
                images[(3 + c) * 200 + p] = 0.75f;
            }
        BackgroundSample[] backgrounds =
        [
            new(BackgroundKind.Image, default, default, default, 0, (4, 2, 8, 6)),   // crop x in [4, 12): 1:1 with W = 8
            new(BackgroundKind.Image, default, default, default, 1, (0, 0, 20, 10)),
        ];
        float[] result = Composite(rgba, 2, backgrounds, images, imageShape);
        var shape = new TensorShape(2, 3, H, W);
        for (int x = 4; x < W; x++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(4 + x, At(result, shape, 0, c, 3, x), 1e-5);
                Assert.Equal(0.75f, At(result, shape, 1, c, 1, x));
            }
    }

    [Fact]
    public void Pipeline_composite_with_a_separate_mask_equals_rgba_input()
    {
        int n = 5;
        float[] rgba = Foreground(n);
        int plane = H * W;
        var rgb = new float[n * 3 * plane];
        var mask = new float[n * plane];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(rgba, i * 4 * plane, rgb, i * 3 * plane, 3 * plane);
            Array.Copy(rgba, (i * 4 + 3) * plane, mask, i * plane, plane);
        }
        var pipeline = new AugmentationPipeline(3).FlipHorizontal(0.5).CompositeOnto(new BackgroundSource(solidColors: true, gradients: true)).ColorJitter(0.2);
        var (fromRgba, fromMask) = gpu.Run(ctx =>
        {
            using var a = Tensor.FromData(ctx, new TensorShape(n, 4, H, W), rgba);
            using var colours = Tensor.FromData(ctx, new TensorShape(n, 3, H, W), rgb);
            using var alpha = Tensor.FromData(ctx, new TensorShape(n, 1, H, W), mask);
            using var out1 = new Tensor(ctx, n, 3, H, W);
            using var out2 = new Tensor(ctx, n, 3, H, W);
            pipeline.Apply(a, out1, 7);
            pipeline.Apply(colours, alpha, out2, 7);
            return (out1.ToArray(), out2.ToArray());
        });
        Exact("composite RGBA vs RGB + mask", new TensorShape(n, 3, H, W), fromRgba, fromMask);
        Assert.Equal(new TensorShape(n, 3, H, W), pipeline.OutputShape(new TensorShape(n, 4, H, W)));
    }

    [Fact]
    public void Background_options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new BackgroundSource(solidColors: false, gradients: false));
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundSource(imageCropScale: (0.5, 1.5)));
        Assert.Equal("imageCropScale", scale.ParamName);
        Assert.Contains("1.5", scale.Message);
        Assert.Throws<ArgumentException>(() => new AugmentationPipeline().CompositeOnto().OutputShape(new TensorShape(1, 3, 4, 4)));
    }
}
