using VisionPlugin.Imaging;
using VisionPlugin.Visualization;
using static VisionPlugin.Tests.Imaging.PngTestEncoder;

namespace VisionPlugin.Tests.Imaging;

/// <summary>PNG decoding of valid files: every colour type, bit depth, filter and interlace, against independently computed RGBA.</summary>
public sealed class PngDecoderTests
{
    private static DecodedImage Decode(byte[] file) => ImageDecoders.Decode(file, "test.png");

    private static int[] RandomSamples(int count, int maxExclusive, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(maxExclusive))];
    }

    // Reference scaling to 8 bits: 1/2/4-bit grey stretch by 255, 85, 17; 16-bit rounds v / 257.
    private static byte Scale(int value, int depth) => depth switch
    {
        16 => (byte)Math.Round(value / 257.0),
        8 => (byte)value,
        _ => (byte)(value * (255 / ((1 << depth) - 1))),
    };

    private static byte[] Expected(int[] samples, int pixelCount, int colorType, int depth, byte[]? palette = null, byte[]? transparency = null)
    {
        var rgba = new byte[pixelCount * 4];
        for (int p = 0; p < pixelCount; p++)
        {
            byte r, g, b, a = 255;
            switch (colorType)
            {
                case 0:
                    r = g = b = Scale(samples[p], depth);
                    if (transparency is not null && samples[p] == (transparency[0] << 8 | transparency[1])) a = 0;
                    break;
                case 2:
                    (r, g, b) = (Scale(samples[3 * p], depth), Scale(samples[3 * p + 1], depth), Scale(samples[3 * p + 2], depth));
                    if (transparency is not null && Enumerable.Range(0, 3).All(c => samples[3 * p + c] == (transparency[2 * c] << 8 | transparency[2 * c + 1]))) a = 0;
                    break;
                case 3:
                    int index = samples[p];
                    (r, g, b) = (palette![3 * index], palette[3 * index + 1], palette[3 * index + 2]);
                    if (transparency is not null && index < transparency.Length) a = transparency[index];
                    break;
                case 4:
                    r = g = b = Scale(samples[2 * p], depth);
                    a = Scale(samples[2 * p + 1], depth);
                    break;
                default:
                    (r, g, b, a) = (Scale(samples[4 * p], depth), Scale(samples[4 * p + 1], depth), Scale(samples[4 * p + 2], depth), Scale(samples[4 * p + 3], depth));
                    break;
            }
            (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]) = (r, g, b, a);
        }
        return rgba;
    }

    public static TheoryData<int, int, bool> ColourTypesAndDepths()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var (colorType, depths) in new[] { (0, new[] { 1, 2, 4, 8, 16 }), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16]) })
            foreach (int depth in depths)
                foreach (bool interlaced in new[] { false, true })
                    data.Add(colorType, depth, interlaced);
        return data;
    }

    [Theory]
    [MemberData(nameof(ColourTypesAndDepths))]
    public void Every_colour_type_and_bit_depth_decodes_exactly(int colorType, int depth, bool interlaced)
    {
        const int width = 13, height = 11; // odd sizes: partial bytes at row ends, uneven Adam7 passes
        int channels = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        int paletteSize = Math.Min(256, 1 << depth);
        byte[]? palette = colorType == 3 ? [.. RandomSamples(3 * paletteSize, 256, 99).Select(v => (byte)v)] : null;
        int[] samples = RandomSamples(width * height * channels, colorType == 3 ? paletteSize : 1 << depth, colorType * 100 + depth);

        DecodedImage image = Decode(Encode(samples, width, height, colorType, depth, interlaced, palette));

        Assert.Equal((width, height, "PNG"), (image.Width, image.Height, image.Format));
        Assert.Equal(Expected(samples, width * height, colorType, depth, palette), image.Pixels.ToArray());
        Assert.Equal(colorType is 4 or 6, image.HasAlpha);
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(-1)] // -1: best filter per row
    public void PngWriter_rgb_and_rgba_round_trip_for_every_filter(int filter)
    {
        const int width = 37, height = 23;
        byte[] rgba = [.. RandomSamples(width * height * 4, 256, filter + 10).Select(v => (byte)v)];
        byte[] rgb = [.. rgba.Where((_, i) => i % 4 != 3)];
        PngRowFilter? fixedFilter = filter < 0 ? null : (PngRowFilter)filter;

        DecodedImage fromRgba = Decode(PngWriter.Encode(rgba, width, height, PngPixelFormat.Rgba8, fixedFilter));
        DecodedImage fromRgb = Decode(PngWriter.Encode(rgb, width, height, PngPixelFormat.Rgb8, fixedFilter));

        Assert.Equal(rgba, fromRgba.Pixels.ToArray());
        Assert.True(fromRgba.HasAlpha);
        byte[] opaque = [.. rgba];
        for (int i = 3; i < opaque.Length; i += 4) opaque[i] = 255;
        Assert.Equal(opaque, fromRgb.Pixels.ToArray());
        Assert.False(fromRgb.HasAlpha);
    }

    [Fact]
    public void Palette_with_shorter_tRNS_makes_listed_entries_translucent_and_the_rest_opaque()
    {
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];
        byte[] transparency = [0, 128]; // entry 0 invisible, entry 1 half, entries 2-3 opaque
        int[] samples = [0, 1, 2, 3, 3, 2, 1, 0];

        DecodedImage image = Decode(Encode(samples, 4, 2, colorType: 3, depth: 2, palette: palette, transparency: transparency));

        Assert.True(image.HasAlpha);
        Assert.Equal(Expected(samples, 8, 3, 2, palette, transparency), image.Pixels.ToArray());
        Assert.Equal([255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255], image.Pixels.ToArray()[..12]);
    }

    [Theory]
    [InlineData(1)] [InlineData(8)] [InlineData(16)]
    public void Grey_tRNS_makes_exactly_the_matching_raw_sample_transparent(int depth)
    {
        int key = depth == 16 ? 0x1234 : (1 << depth) - 1;
        // At 16 bits, 0x1235 scales to the same 8-bit grey as the key (0x12) but must stay opaque.
        int[] samples = depth == 16 ? [0x1234, 0x1235, 0, 0xFFFF] : [key, 0, key, 0];
        byte[] transparency = [(byte)(key >> 8), (byte)key];

        DecodedImage image = Decode(Encode(samples, 2, 2, colorType: 0, depth, transparency: transparency));

        Assert.True(image.HasAlpha);
        Assert.Equal(Expected(samples, 4, 0, depth, transparency: transparency), image.Pixels.ToArray());
        Assert.Equal(0, image.Pixels.Span[3]);   // pixel 0 is the key
        Assert.Equal(255, image.Pixels.Span[7]); // pixel 1 is not (at 16 bits: same 8-bit grey, different raw sample)
    }

    [Theory]
    [InlineData(8)] [InlineData(16)]
    public void Rgb_tRNS_makes_exactly_the_matching_colour_transparent(int depth)
    {
        int max = (1 << depth) - 1;
        int[] samples = [1, 2, 3, 1, 2, 4, max, max, max, 1, 2, 3];
        byte[] transparency = [0, 1, 0, 2, 0, 3];

        DecodedImage image = Decode(Encode(samples, 2, 2, colorType: 2, depth, interlaced: true, transparency: transparency));

        Assert.Equal([0, 255, 255, 0], Enumerable.Range(0, 4).Select(p => (int)image.Pixels.Span[4 * p + 3]));
        Assert.Equal(Expected(samples, 4, 2, depth, transparency: transparency), image.Pixels.ToArray());
    }

    [Theory]
    [InlineData(1, 1)] [InlineData(2, 2)] [InlineData(3, 9)] [InlineData(9, 3)] [InlineData(8, 8)] [InlineData(33, 17)] [InlineData(5, 1)]
    public void Adam7_gives_the_same_pixels_as_the_plain_layout_at_every_size(int width, int height)
    {
        int[] samples = RandomSamples(width * height * 4, 256, width * 31 + height);

        DecodedImage interlaced = Decode(Encode(samples, width, height, colorType: 6, depth: 8, interlaced: true));
        DecodedImage plain = Decode(Encode(samples, width, height, colorType: 6, depth: 8));

        Assert.Equal(samples.Select(v => (byte)v), plain.Pixels.ToArray());
        Assert.Equal(plain.Pixels.ToArray(), interlaced.Pixels.ToArray());
    }

    [Fact]
    public void Sixteen_bit_samples_are_rounded_to_nearest()
    {
        int[] samples = [0, 128, 129, 0x8080, 0xFFFF, 257 * 77, 257 * 77 + 128, 257 * 77 + 129];

        DecodedImage image = Decode(Encode(samples, 8, 1, colorType: 0, depth: 16));

        Assert.Equal([0, 0, 1, 128, 255, 77, 77, 78], Enumerable.Range(0, 8).Select(p => (int)image.Pixels.Span[4 * p]));
    }

    [Fact]
    public void Image_data_split_over_many_IDAT_chunks_and_ancillary_chunks_are_handled()
    {
        int[] samples = RandomSamples(20 * 10 * 3, 256, 5);
        byte[] compressed = Zlib(RawImageData(samples, 20, 10, 3, 8, interlaced: false));
        var chunks = new List<byte[]> { Ihdr(20, 10, 8, 2), Chunk("gAMA", 0, 0, 0xB1, 0x8F), Chunk("tEXt", "Title\0x"u8.ToArray()) };
        chunks.Add(Chunk("IDAT"));                                                     // an empty IDAT is legal
        chunks.AddRange(compressed.Select(b => Chunk("IDAT", b)));                     // one byte per chunk
        chunks.Add(Chunk("tEXt", "Comment\0after"u8.ToArray()));
        chunks.Add(Iend());
        byte[] file = [.. File([.. chunks]), .. "trailing bytes after IEND are ignored"u8.ToArray()];

        DecodedImage image = Decode(file);

        Assert.Equal(Expected(samples, 200, 2, 8), image.Pixels.ToArray());
    }

    [Fact]
    public void A_png_named_otherwise_and_the_decoder_used_directly_agree()
    {
        byte[] file = PngWriter.Encode([10, 20, 30, 40, 50, 60], 2, 1, PngPixelFormat.Rgb8);
        var decoder = new PngDecoder();

        Assert.True(decoder.CanDecode(file.AsSpan(0, 8)));
        Assert.False(decoder.CanDecode(file.AsSpan(0, 7)));
        Assert.Equal(Decode(file).Pixels.ToArray(), decoder.Decode(file, "photo.jpg", ImageDecodeLimits.Default).Pixels.ToArray());
        Assert.Equal("PNG 2x1 RGBA8", Decode(file).ToString());
    }
}
