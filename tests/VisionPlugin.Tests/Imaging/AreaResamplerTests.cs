using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Imaging;

/// <summary>Area-averaging downscale (exact box means, fractional coverage, premultiplied alpha) and alpha compositing.</summary>
public sealed class AreaResamplerTests
{
    private static DecodedImage Opaque(int width, int height, Func<int, int, int> grey)
    {
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = (byte)grey(x, y);
                pixels[i + 3] = 255;
            }
        return new DecodedImage(width, height, pixels, hasAlpha: false, "TEST");
    }

    private static int[] Reds(DecodedImage image) => [.. Enumerable.Range(0, image.Width * image.Height).Select(p => (int)image.Pixels.Span[4 * p])];

    [Fact]
    public void Halving_averages_each_2x2_block_exactly()
    {
        DecodedImage source = Opaque(4, 4, (x, y) => 10 * (y * 4 + x));

        DecodedImage half = AreaResampler.Downscale(source, 2, 2);

        // Block means: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45, (80+90+120+130)/4 = 105, (100+110+140+150)/4 = 125.
        Assert.Equal([25, 45, 105, 125], Reds(half));
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal(255, half.Pixels.Span[4 * p + 3]));
    }

    [Fact]
    public void Partly_covered_pixels_count_by_the_covered_fraction()
    {
        // 3 -> 2: cell 0 covers [0, 1.5): 2/3 of pixel 0 and 1/3 of pixel 1; cell 1 the mirror image.
        DecodedImage result = AreaResampler.Downscale(Opaque(3, 1, (x, _) => 90 * x), 2, 1);

        Assert.Equal([30, 150], Reds(result));
    }

    [Fact]
    public void The_mean_brightness_is_preserved_at_odd_ratios()
    {
        var random = new Random(3);
        DecodedImage source = Opaque(97, 61, (_, _) => random.Next(256));

        DecodedImage small = AreaResampler.Downscale(source, 13, 7);

        Assert.Equal(Reds(source).Average(), Reds(small).Average(), 0.6);
    }

    [Fact]
    public void Transparent_pixels_do_not_darken_the_edges_of_a_cut_out()
    {
        // Opaque red next to fully transparent black: the mean is red at half opacity, not dark red.
        var image = new DecodedImage(2, 1, [255, 0, 0, 255, 0, 0, 0, 0], hasAlpha: true, "TEST");

        DecodedImage one = AreaResampler.Downscale(image, 1, 1);

        Assert.Equal([255, 0, 0, 128], one.Pixels.ToArray());
        Assert.True(one.HasAlpha);
        Assert.Equal([0, 0, 0, 0], AreaResampler.Downscale(new DecodedImage(2, 1, new byte[8], true, "TEST"), 1, 1).Pixels.ToArray());
    }

    [Fact]
    public void FitWithin_keeps_the_aspect_ratio_and_leaves_small_images_alone()
    {
        DecodedImage wide = Opaque(400, 100, (x, y) => x % 256);

        Assert.Equal((64, 16), (AreaResampler.FitWithin(wide, 64).Width, AreaResampler.FitWithin(wide, 64).Height));
        Assert.Equal((1, 1), (AreaResampler.FitWithin(Opaque(1000, 1, (_, _) => 0), 1).Width, AreaResampler.FitWithin(Opaque(1000, 1, (_, _) => 0), 1).Height));
        Assert.Same(wide, AreaResampler.FitWithin(wide, 400));
        Assert.Throws<ArgumentOutOfRangeException>(() => AreaResampler.Downscale(wide, 401, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => AreaResampler.FitWithin(wide, 0));
    }

    [Fact]
    public void Compositing_lays_alpha_over_the_background()
    {
        var image = new DecodedImage(3, 1, [255, 0, 0, 128, 10, 20, 30, 0, 10, 20, 30, 255], hasAlpha: true, "TEST");

        byte[] onWhite = AlphaCompositing.ToRgb(image, RgbColor.White);
        byte[] onBlue = AlphaCompositing.ToRgb(image, new RgbColor(0, 0, 200));

        // (255*128 + 255*127)/255 = 255; (0*128 + 255*127)/255 = 127 (rounded).
        Assert.Equal([255, 127, 127, 255, 255, 255, 10, 20, 30], onWhite);
        Assert.Equal([128, 0, 100, 0, 0, 200, 10, 20, 30], onBlue);
    }
}
