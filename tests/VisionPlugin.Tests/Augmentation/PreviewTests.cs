using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using VisionPlugin.Augmentation;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>The augment-preview pieces: the small PNG reader and the rendered grid.</summary>
[Collection("Gpu")]
public sealed class PreviewTests(GpuFixture gpu)
{
    [Fact]
    public void Png_reader_decodes_what_the_png_writer_wrote()
    {
        var random = new Random(1);
        var rgb = new byte[13 * 7 * 3];
        var rgba = new byte[13 * 7 * 4];
        random.NextBytes(rgb);
        random.NextBytes(rgba);
        PreviewPicture fromRgb = PreviewImageLoader.Decode(PngWriter.Encode(rgb, 13, 7, PngPixelFormat.Rgb8));
        PreviewPicture fromRgba = PreviewImageLoader.Decode(PngWriter.Encode(rgba, 13, 7, PngPixelFormat.Rgba8));
        Assert.Equal((13, 7, false), (fromRgb.Width, fromRgb.Height, fromRgb.HasAlpha));
        Assert.True(fromRgba.HasAlpha);
        for (int p = 0; p < 13 * 7; p++)
        {
            Assert.Equal(rgb.AsSpan(3 * p, 3).ToArray(), fromRgb.Rgba.AsSpan(4 * p, 3).ToArray());
            Assert.Equal(255, fromRgb.Rgba[4 * p + 3]);
        }
        Assert.Equal(rgba, fromRgba.Rgba);
    }

    [Fact]
    public void Png_reader_handles_grey_and_palette_images_with_every_filter()
    {
        // 4 x 5 grey image, rows filtered with types 0..4.
        byte[] grey = [.. Enumerable.Range(0, 20).Select(i => (byte)(i * 11 + 3))];
        PreviewPicture g = PreviewImageLoader.Decode(Png(4, 5, colorType: 0, grey, bytesPerPixel: 1));
        for (int p = 0; p < 20; p++) Assert.Equal(new[] { grey[p], grey[p], grey[p], (byte)255 }, g.Rgba[(4 * p)..(4 * p + 4)]);

        // Palette with transparency for entry 1.
        byte[] indices = [0, 1, 2, 1, 0, 2];
        byte[] png = Png(3, 2, colorType: 3, indices, bytesPerPixel: 1,
            extra: [("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255]), ("tRNS", [255, 128])]);
        PreviewPicture pal = PreviewImageLoader.Decode(png);
        Assert.True(pal.HasAlpha);
        Assert.Equal(new byte[] { 0, 255, 0, 128 }, pal.Rgba[4..8]);
        Assert.Equal(new byte[] { 0, 0, 255, 255 }, pal.Rgba[8..12]);

        Assert.Throws<InvalidDataException>(() => PreviewImageLoader.Decode(Encoding.ASCII.GetBytes("GIF89a not a png")));
        var interlaced = Png(3, 2, 3, indices, 1, extra: [("PLTE", [1, 2, 3, 4, 5, 6, 7, 8, 9])], interlace: 1);
        Assert.Contains("interlaced", Assert.Throws<InvalidDataException>(() => PreviewImageLoader.Decode(interlaced)).Message);
    }

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
        // Tiles differ from one another (augmentation happened) and from the background colour.
        RgbColor TileCentre(int t) => grid[8 + t % 3 * 38 + 16, 24 + t / 3 * 38 + 16];
        Assert.True(Enumerable.Range(1, 5).Select(TileCentre).Distinct().Count() > 1, "augmented tiles look alike");
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, "wild", null)));
    }

    [Fact]
    public void Preview_reads_a_png_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"augment-preview-{Guid.NewGuid():N}.png");
        try
        {
            var pixels = new byte[40 * 30 * 3];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 3 == 0 ? i / 3 % 40 * 6 : 90);
            PngWriter.Save(path, pixels, 40, 30, PngPixelFormat.Rgb8);
            RgbImage grid = gpu.Run(ctx => AugmentationPreview.RenderPreset(ctx, "default", path, count: 3, size: 24));
            Assert.Equal(24 + 8 + 2 * 24 + 6, grid.Height);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A minimal PNG encoder for the reader's other colour types: row r gets filter r % 5.</summary>
    private static byte[] Png(int width, int height, int colorType, byte[] samples, int bytesPerPixel,
        (string Type, byte[] Data)[]? extra = null, int interlace = 0)
    {
        int stride = width * bytesPerPixel;
        var raw = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            int filter = y % 5;
            raw.Add((byte)filter);
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bytesPerPixel ? samples[y * stride + x - bytesPerPixel] : 0;
                int b = y > 0 ? samples[(y - 1) * stride + x] : 0;
                int c = x >= bytesPerPixel && y > 0 ? samples[(y - 1) * stride + x - bytesPerPixel] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
                raw.Add((byte)(samples[y * stride + x] - predictor));
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)colorType;
        header[12] = (byte)interlace;
        void Chunk(string type, byte[] data)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            file.Write(length);
            byte[] body = [.. Encoding.ASCII.GetBytes(type), .. data];
            file.Write(body);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(body));
            file.Write(crc);
        }
        Chunk("IHDR", header);
        foreach (var (type, data) in extra ?? []) Chunk(type, data);
        Chunk("IDAT", compressed.ToArray());
        Chunk("IEND", []);
        return file.ToArray();
    }
}
