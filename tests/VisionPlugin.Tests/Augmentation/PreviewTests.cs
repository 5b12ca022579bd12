using VisionPlugin.Augmentation;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>The augment-preview grid: the test pattern, image files through ImageDecoders, every preset.</summary>
[Collection("Gpu")]
public sealed class PreviewTests(GpuFixture gpu)
{
    [Theory]
    [InlineData("default")]
    [InlineData("strong")]
    [InlineData("composite")]
    public void Preview_grid_has_the_input_and_every_sample(string preset)
    {
        RgbImage grid = gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, preset, imagePath: null, seed: 1, count: 5, size: 32));
        // 6 tiles in 3 columns x 2 rows of 32 px with 6 px gaps, 8 px margins, a 24 px caption band (the caption may widen it).
        Assert.Equal(24 + 8 + 2 * 32 + 6, grid.Height);
        Assert.True(grid.Width >= 2 * 8 + 3 * 32 + 2 * 6);
        // Tiles differ from one another (augmentation happened).
        RgbColor TileCentre(int t) => grid[8 + t % 3 * 38 + 16, 24 + t / 3 * 38 + 16];
        Assert.True(Enumerable.Range(1, 5).Select(TileCentre).Distinct().Count() > 1, "augmented tiles look alike");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, "wild", null)));
        Assert.Equal("wild", error.ActualValue);
    }

    [Fact]
    public void Test_pattern_is_an_opaque_badge_on_a_transparent_surround()
    {
        DecodedImage pattern = AugmentationPreview.TestPattern(64);
        Assert.True(pattern.HasAlpha);
        ReadOnlySpan<byte> rgba = pattern.Pixels.Span;
        Assert.Equal(0, rgba[3]);                              // corner: outside the badge
        Assert.Equal(255, rgba[(36 * 64 + 32) * 4 + 3]);       // centre of the badge
    }

    [Theory]
    [InlineData("default", false)]
    [InlineData("composite", true)]
    public void Preview_reads_an_image_file(string preset, bool withAlpha)
    {
        string path = Path.Combine(Path.GetTempPath(), $"augment-preview-{Guid.NewGuid():N}.png");
        try
        {
            int channels = withAlpha ? 4 : 3;
            var pixels = new byte[40 * 30 * channels];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % channels == 0 ? i / channels % 40 * 6 : i % channels == 3 ? (i / channels % 40 < 20 ? 255 : 0) : 90);
            PngWriter.Save(path, pixels, 40, 30, withAlpha ? PngPixelFormat.Rgba8 : PngPixelFormat.Rgb8);
            RgbImage grid = gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, preset, path, count: 3, size: 24));
            Assert.Equal(24 + 8 + 2 * 24 + 6, grid.Height);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unreadable_files_raise_image_format_errors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"augment-preview-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllText(path, "GIF89a is not a PNG");
            Assert.Throws<ImageFormatException>(() => gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, "default", path)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
