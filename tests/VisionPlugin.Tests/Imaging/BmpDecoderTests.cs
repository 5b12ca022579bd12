using System.Buffers.Binary;
using VisionPlugin.Imaging;

namespace VisionPlugin.Tests.Imaging;

/// <summary>BMP decoding: 24/32-bit, both row orders, row padding, alpha rules, bit-field masks, and refusals.</summary>
public sealed class BmpDecoderTests
{
    private static byte[] RandomRgba(int width, int height, int seed, bool opaque)
    {
        var pixels = new byte[width * height * 4];
        new Random(seed).NextBytes(pixels);
        if (opaque) for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        return pixels;
    }

    private static ImageFormatException Refused(byte[] file) => Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file, "bad.bmp"));

    [Theory]
    [InlineData(5, 3, false)] // 15-byte rows padded to 16
    [InlineData(5, 3, true)]
    [InlineData(1, 1, false)]
    [InlineData(64, 7, true)]
    public void Uncompressed_24_bit_round_trips_in_both_row_orders(int width, int height, bool topDown)
    {
        byte[] rgba = RandomRgba(width, height, width * height, opaque: true);

        DecodedImage image = ImageDecoders.Decode(BmpTestEncoder.Encode(rgba, width, height, 24, topDown), "x.bmp");

        Assert.Equal((width, height, "BMP", false), (image.Width, image.Height, image.Format, image.HasAlpha));
        Assert.Equal(rgba, image.Pixels.ToArray());
    }

    [Fact]
    public void Thirty_two_bit_uses_the_alpha_byte_when_any_pixel_sets_it()
    {
        byte[] rgba = RandomRgba(6, 4, 1, opaque: false);

        DecodedImage image = ImageDecoders.Decode(BmpTestEncoder.Encode(rgba, 6, 4, 32, topDown: true), "x.bmp");

        Assert.True(image.HasAlpha);
        Assert.Equal(rgba, image.Pixels.ToArray());
    }

    [Fact]
    public void Thirty_two_bit_with_all_zero_reserved_bytes_is_opaque()
    {
        byte[] rgba = RandomRgba(6, 4, 2, opaque: false);
        for (int i = 3; i < rgba.Length; i += 4) rgba[i] = 0;

        DecodedImage image = ImageDecoders.Decode(BmpTestEncoder.Encode(rgba, 6, 4, 32), "x.bmp");

        Assert.False(image.HasAlpha);
        for (int i = 3; i < rgba.Length; i += 4) rgba[i] = 255;
        Assert.Equal(rgba, image.Pixels.ToArray());
    }

    [Fact]
    public void V5_bit_field_masks_in_any_byte_order_are_honoured()
    {
        byte[] rgba = RandomRgba(3, 5, 3, opaque: false);
        (uint, uint, uint, uint) abgr = (0x000000FF, 0x0000FF00, 0x00FF0000, 0xFF000000);

        DecodedImage image = ImageDecoders.Decode(BmpTestEncoder.Encode(rgba, 3, 5, 32, masks: abgr), "x.bmp");
        DecodedImage noAlphaMask = ImageDecoders.Decode(BmpTestEncoder.Encode(rgba, 3, 5, 32, masks: (0xFF00, 0xFF0000, 0xFF000000, 0)), "x.bmp");

        Assert.True(image.HasAlpha);
        Assert.Equal(rgba, image.Pixels.ToArray());
        Assert.False(noAlphaMask.HasAlpha);
        Assert.All(Enumerable.Range(0, 15), p => Assert.Equal(255, noAlphaMask.Pixels.Span[4 * p + 3]));
        Assert.Equal(rgba[0], noAlphaMask.Pixels.Span[0]);
    }

    [Fact]
    public void Unsupported_variants_and_damage_are_refused_with_specific_messages()
    {
        byte[] good = BmpTestEncoder.Encode(RandomRgba(4, 4, 4, opaque: true), 4, 4, 24);

        byte[] eightBit = [.. good];
        BinaryPrimitives.WriteUInt16LittleEndian(eightBit.AsSpan(28), 8);
        Assert.Contains("not a readable BMP image: 8-bit palette pixels are not supported; only uncompressed 24- and 32-bit", Refused(eightBit).Message);

        byte[] rle = BmpTestEncoder.Encode(RandomRgba(4, 4, 4, opaque: true), 4, 4, 24, compression: 1);
        Assert.Contains("RLE8 compression is not supported", Refused(rle).Message);

        Assert.Contains("pixel data is truncated: 4x4 24-bit rows need 48 bytes from byte 54; the file has 20", Refused(good[..74]).Message);

        byte[] huge = [.. good];
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(18), 100_000);
        Assert.Contains("width 100000 exceeds the limit of 16384 pixels", Refused(huge).Message);

        byte[] os2 = [.. good];
        BinaryPrimitives.WriteUInt32LittleEndian(os2.AsSpan(14), 12);
        Assert.Contains("OS/2 bitmap header (12 bytes) is not supported", Refused(os2).Message);

        byte[] badMask = BmpTestEncoder.Encode(RandomRgba(2, 2, 5, opaque: true), 2, 2, 32, masks: (0x00FF0000, 0x0000FFF0, 0xF, 0));
        Assert.Contains("green bit-field mask 0x0000FFF0 is not supported", Refused(badMask).Message);

        Assert.Contains("file ends inside the 40-byte DIB header", Refused(good[..30]).Message);
    }

    [Fact]
    public void Text_starting_with_BM_is_not_taken_for_a_bitmap()
    {
        byte[] text = "BMW motorcycles: a list of models and prices"u8.ToArray();
        Assert.False(new BmpDecoder().CanDecode(text));
        Assert.Contains("not a recognised image format", Refused(text).Message);
    }

    [Fact]
    public void Random_damage_never_escapes_as_another_exception()
    {
        byte[][] seeds =
        [
            BmpTestEncoder.Encode(RandomRgba(7, 5, 6, opaque: true), 7, 5, 24),
            BmpTestEncoder.Encode(RandomRgba(3, 4, 7, opaque: false), 3, 4, 32, topDown: true, masks: (0xFF, 0xFF00, 0xFF0000, 0xFF000000)),
        ];
        var random = new Random(11);
        var decoder = new BmpDecoder(); // called directly: the registry would wrap stray exceptions and hide them
        int refused = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] file = [.. seeds[trial % 2]];
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                file[random.Next(2, trial % 3 == 0 ? 70 : file.Length)] = (byte)random.Next(256); // mostly the headers
            if (trial % 5 == 0) file = file[..random.Next(0, file.Length)];
            try
            {
                decoder.Decode(file, "fuzz.bmp", ImageDecodeLimits.Default);
            }
            catch (ImageFormatException)
            {
                refused++;
            }
        }
        Assert.InRange(refused, 500, 4000);
    }
}
