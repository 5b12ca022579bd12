using System.IO.Compression;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;
using static VisionPlugin.Tests.Imaging.PngTestEncoder;

namespace VisionPlugin.Tests.Imaging;

/// <summary>Damaged and hostile PNGs: each is refused with an <see cref="ImageFormatException"/> naming the file and the specific problem.</summary>
public sealed class PngDecoderErrorTests
{
    private static readonly byte[] Valid = PngWriter.Encode([.. Enumerable.Range(0, 6 * 5 * 4).Select(i => (byte)(i * 7))], 6, 5, PngPixelFormat.Rgba8);

    private static ImageFormatException Refused(byte[] file, ImageDecodeLimits? limits = null)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file, "bad.png", limits));
        Assert.Equal("bad.png", error.FileName);
        Assert.StartsWith("bad.png: ", error.Message);
        return error;
    }

    private static byte[] Gray8Idat(int width, int height) => Chunk("IDAT", Zlib(new byte[(width + 1) * height]));

    [Fact]
    public void Crc_mismatch_is_refused_with_the_chunk_and_both_values()
    {
        byte[] file = [.. Valid];
        file[8 + 25 + 8 + 3] ^= 0x40; // a byte of the IDAT data (IHDR chunk is 25 bytes)

        ImageFormatException error = Refused(file);

        Assert.Equal("PNG", error.Format);
        Assert.Matches(@"CRC mismatch in chunk 'IDAT' at byte 33 \(stored 0x[0-9A-F]{8}, computed 0x[0-9A-F]{8}\)", error.Message);
    }

    [Fact]
    public void Every_truncation_is_refused_and_never_crashes()
    {
        for (int length = 0; length < Valid.Length; length++)
        {
            byte[] prefix = Valid[..length];
            var error = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(prefix, "cut.png"));
            Assert.Contains("cut.png", error.Message);
        }
        Assert.Contains("empty file (0 bytes)", Refused([]).Message);
        Assert.Contains("not a recognised image format", Refused(Valid[..5]).Message); // too short to be sniffed as PNG
        Assert.Contains("shorter than the 8-byte PNG signature",
            Assert.Throws<ImageFormatException>(() => new PngDecoder().Decode(Valid[..5], "bad.png", ImageDecodeLimits.Default)).Message);
        Assert.Contains("file ends inside the header of chunk #1 at byte 33", Refused(Valid[..40]).Message);
        Assert.Contains("file ends inside chunk 'IDAT' at byte 33", Refused(Valid[..50]).Message);
        Assert.Contains("without an IEND chunk (truncated)", Refused(Valid[..^12]).Message);
    }

    [Fact]
    public void Wrong_signatures_are_refused()
    {
        byte[] crlfDamaged = [0x89, 0x50, 0x4E, 0x47, 0x0A, 0x1A, 0x0A, .. Valid[8..]];
        Assert.Contains("line endings altered", Assert.Throws<ImageFormatException>(() => new PngDecoder().Decode(crlfDamaged, "bad.png", ImageDecodeLimits.Default)).Message);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'];
        Assert.Contains("wrong signature FFD8FFE000104A46", Assert.Throws<ImageFormatException>(() => new PngDecoder().Decode(jpeg, "bad.png", ImageDecodeLimits.Default)).Message);
        Assert.Contains("not a recognised image format (starts with FF D8 FF E0", Refused(jpeg).Message);
    }

    [Theory]
    [InlineData(1_000_000u, 1_000_000u, "width 1000000 exceeds the limit of 16384 pixels")]
    [InlineData(10u, 20_000u, "height 20000 exceeds the limit of 16384 pixels")]
    [InlineData(16384u, 16384u, "16384x16384 = 268435456 pixels exceeds the limit of 67108864")]
    [InlineData(0u, 10u, "empty size 0x10")]
    [InlineData(0x80000000u, 1u, "PNG sides are at most 2^31-1")]
    public void Absurd_dimensions_are_refused_before_allocating(uint width, uint height, string message)
    {
        byte[] file = File(Ihdr(width, height, 16, 6), Gray8Idat(1, 1), Iend());
        long before = GC.GetAllocatedBytesForCurrentThread();

        ImageFormatException error = Refused(file);

        Assert.Contains(message, error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256 * 1024, "refusing must not allocate image-sized buffers");
    }

    [Fact]
    public void Tighter_limits_are_honoured()
    {
        var limits = new ImageDecodeLimits { MaxWidth = 4 };
        Assert.Contains("width 6 exceeds the limit of 4 pixels", Refused(Valid, limits).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeLimits { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeLimits { MaxPixels = ImageDecodeLimits.PixelCeiling + 1 });
    }

    [Fact]
    public void A_huge_image_claim_with_little_data_is_truncated_without_allocating_the_claim()
    {
        // 8192x8192 RGBA8 is within the limits (64 Mi pixels) and would need 268 MB of image data.
        byte[] file = File(Ihdr(8192, 8192, 8, 6), Gray8Idat(100, 10), Iend());
        long before = GC.GetAllocatedBytesForCurrentThread();

        ImageFormatException error = Refused(file);

        Assert.Contains("image data is truncated: the zlib stream ends after 1010 of the 268443648 bytes a 8192x8192 Rgba 8-bit image needs", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * 1024 * 1024, "the buffer grows with the data, not with the claim");
    }

    [Fact]
    public void A_zlib_bomb_stops_inflating_at_the_expected_size()
    {
        // 32 MB of zeros compress to ~32 KB; the header says 16x16 grey (272 bytes of image data).
        byte[] bomb = Zlib(new byte[32 * 1024 * 1024], CompressionLevel.Fastest);
        byte[] file = File(Ihdr(16, 16, 8, 0), Chunk("IDAT", bomb), Iend());
        long before = GC.GetAllocatedBytesForCurrentThread();

        ImageFormatException error = Refused(file);

        Assert.Contains("image data inflates past the 272 bytes a 16x16 Grey 8-bit image needs (a zlib bomb or a wrong IHDR)", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 * 1024 * 1024, "the bomb must not be expanded");
    }

    [Fact]
    public void Damaged_zlib_data_is_refused()
    {
        byte[] compressed = Zlib(new byte[17 * 4]);
        byte[] badChecksum = [.. compressed];
        badChecksum[^1] ^= 0xFF; // Adler-32 of the inflated data
        Assert.Contains("not a valid zlib stream", Refused(File(Ihdr(16, 4, 8, 0), Chunk("IDAT", badChecksum), Iend())).Message);
        byte[] garbage = [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Contains("not a valid zlib stream", Refused(File(Ihdr(16, 4, 8, 0), Chunk("IDAT", garbage), Iend())).Message);
    }

    public static TheoryData<string, string> StructureErrors() => new()
    {
        { "IDAT first", "the first chunk is 'IDAT'; it must be IHDR" },
        { "two IHDR", "second IHDR chunk at byte 33" },
        { "short IHDR", "IHDR chunk has 12 bytes of data; it must have 13" },
        { "RGB 4-bit", "IHDR bit depth 4 is not allowed with colour type 2 (Rgb)" },
        { "colour type 5", "IHDR colour type 5 is not one of 0, 2, 3, 4, 6" },
        { "interlace 2", "IHDR interlace method 2 is unknown" },
        { "compression 1", "IHDR compression method 1 is unknown" },
        { "palette without PLTE", "colour type 3 (palette) needs a PLTE chunk before the image data" },
        { "PLTE in grey", "PLTE chunk at byte 33 is not allowed with colour type 0 (Grey)" },
        { "PLTE of 4 bytes", "PLTE chunk has 4 bytes; it must hold 1 to 256 RGB entries" },
        { "PLTE too long for 1-bit", "PLTE has 3 entries, more than a 1-bit index can address (2)" },
        { "PLTE after IDAT", "PLTE chunk at byte" },
        { "tRNS before PLTE", "tRNS chunk at byte 33 comes before PLTE; it must follow it" },
        { "tRNS longer than PLTE", "tRNS has 3 alpha values but PLTE only 2 entries" },
        { "tRNS in RGBA", "tRNS chunk at byte 33 is not allowed with colour type 6 (Rgba), which has an alpha channel" },
        { "tRNS grey of 6 bytes", "tRNS for grey images has 2 bytes; this one has 6" },
        { "IDAT split by tEXt", "IDAT chunks must be consecutive" },
        { "unknown critical chunk", "unknown critical chunk 'ABCD' at byte 33" },
        { "invalid chunk type", "has an invalid type 41423132" },
        { "no IDAT", "no IDAT chunk: the file holds no image data" },
        { "IEND with data", "IEND chunk at byte" },
        { "filter type 5", "row 1 has filter type 5; only 0-4 exist" },
        { "interlaced filter type 9", "row 0 of Adam7 pass 1 has filter type 9" },
        { "palette index past PLTE", "pixel (1, 0) uses palette index 3, but PLTE has only 2 entries" },
        { "chunk length over 2^31", "claims 4294967295 bytes" },
    };

    [Theory]
    [MemberData(nameof(StructureErrors))]
    public void Structural_errors_are_refused_with_a_specific_message(string caseName, string message)
    {
        byte[] idat = Gray8Idat(2, 2);
        byte[] palette2 = Chunk("PLTE", 0, 0, 0, 255, 255, 255);
        byte[] file = caseName switch
        {
            "IDAT first" => File(idat, Ihdr(2, 2, 8, 0), Iend()),
            "two IHDR" => File(Ihdr(2, 2, 8, 0), Ihdr(2, 2, 8, 0), idat, Iend()),
            "short IHDR" => File(Chunk("IHDR", IhdrData(2, 2, 8, 0)[..12]), idat, Iend()),
            "RGB 4-bit" => File(Ihdr(2, 2, 4, 2), idat, Iend()),
            "colour type 5" => File(Ihdr(2, 2, 8, 5), idat, Iend()),
            "interlace 2" => File(Ihdr(2, 2, 8, 0, interlace: 2), idat, Iend()),
            "compression 1" => File(Chunk("IHDR", [.. IhdrData(2, 2, 8, 0)[..10], 1, 0, 0]), idat, Iend()),
            "palette without PLTE" => File(Ihdr(2, 2, 8, 3), idat, Iend()),
            "PLTE in grey" => File(Ihdr(2, 2, 8, 0), palette2, idat, Iend()),
            "PLTE of 4 bytes" => File(Ihdr(2, 2, 8, 3), Chunk("PLTE", 1, 2, 3, 4), idat, Iend()),
            "PLTE too long for 1-bit" => File(Ihdr(2, 2, 1, 3), Chunk("PLTE", new byte[9]), idat, Iend()),
            "PLTE after IDAT" => File(Ihdr(2, 2, 8, 2), Chunk("IDAT", Zlib(new byte[14])), palette2, Iend()),
            "tRNS before PLTE" => File(Ihdr(2, 2, 8, 3), Chunk("tRNS", 0), palette2, idat, Iend()),
            "tRNS longer than PLTE" => File(Ihdr(2, 2, 8, 3), palette2, Chunk("tRNS", 0, 0, 0), idat, Iend()),
            "tRNS in RGBA" => File(Ihdr(2, 2, 8, 6), Chunk("tRNS", 0, 0), idat, Iend()),
            "tRNS grey of 6 bytes" => File(Ihdr(2, 2, 8, 0), Chunk("tRNS", new byte[6]), idat, Iend()),
            "IDAT split by tEXt" => File(Ihdr(2, 2, 8, 0), Chunk("IDAT", Zlib(new byte[6])[..4]), Chunk("tEXt", 65, 0), Chunk("IDAT", Zlib(new byte[6])[4..]), Iend()),
            "unknown critical chunk" => File(Ihdr(2, 2, 8, 0), Chunk("ABCD"), idat, Iend()),
            "invalid chunk type" => File(Ihdr(2, 2, 8, 0), Chunk("AB12"), idat, Iend()),
            "no IDAT" => File(Ihdr(2, 2, 8, 0), Iend()),
            "IEND with data" => File(Ihdr(2, 2, 8, 0), idat, Chunk("IEND", 0)),
            "filter type 5" => File(Ihdr(2, 2, 8, 0), Chunk("IDAT", Zlib([0, 1, 2, 5, 3, 4])), Iend()),
            "interlaced filter type 9" => File(Ihdr(2, 2, 8, 0, interlace: 1), Chunk("IDAT", Zlib([9, 1, 0, 2, 0, 3, 4])), Iend()),
            "palette index past PLTE" => File(Ihdr(2, 1, 8, 3), palette2, Chunk("IDAT", Zlib([0, 1, 3])), Iend()),
            "chunk length over 2^31" => File(Ihdr(2, 2, 8, 0), [0xFF, 0xFF, 0xFF, 0xFF, (byte)'I', (byte)'D', (byte)'A', (byte)'T', 0, 0, 0, 0]),
            _ => throw new ArgumentOutOfRangeException(nameof(caseName), caseName, "unknown case"),
        };

        Assert.Contains(message, Refused(file).Message);
    }

    [Fact]
    public void Random_damage_below_and_above_the_crc_check_never_escapes_as_another_exception()
    {
        byte[][] seeds =
        [
            Valid,
            Encode([.. Enumerable.Range(0, 9 * 7 * 2).Select(i => i % 256)], 9, 7, colorType: 4, depth: 8, interlaced: true),
            Encode([.. Enumerable.Range(0, 12 * 5).Select(i => i % 4)], 12, 5, colorType: 3, depth: 2, palette: new byte[12], transparency: [1, 2]),
            Encode([.. Enumerable.Range(0, 5 * 5 * 3).Select(i => i * 811 % 65536)], 5, 5, colorType: 2, depth: 16, transparency: new byte[6]),
        ];
        var random = new Random(2024);
        var decoder = new PngDecoder(); // called directly: the registry would wrap stray exceptions and hide them
        int decoded = 0, refused = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] file = [.. seeds[trial % seeds.Length]];
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                file[random.Next(8, file.Length)] ^= (byte)(1 << random.Next(8));
            if (trial % 2 == 0) FixCrcs(file); // reach the checks behind the CRC
            try
            {
                decoder.Decode(file, "fuzz.png", ImageDecodeLimits.Default);
                decoded++;
            }
            catch (ImageFormatException)
            {
                refused++;
            }
        }
        Assert.True(refused > 1000 && decoded + refused == 4000, $"decoded {decoded}, refused {refused}");
    }
}
