using System.Text;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class PngWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-png-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] RandomPixels(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void One_red_pixel_has_the_hand_checked_header_and_trailer_bytes()
    {
        byte[] png = PngWriter.Encode([255, 0, 0], 1, 1, PngPixelFormat.Rgb8);

        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        // IHDR: length 13, "IHDR", width 1, height 1, depth 8, type 2 (RGB), deflate, filter 0, no interlace,
        // CRC-32("IHDR" + data) = 0x907753DE (also what zlib.crc32 gives).
        byte[] ihdr =
        [
            0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
            0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE,
        ];
        byte[] iend = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];
        Assert.Equal(signature, png[..8]);
        Assert.Equal(ihdr, png[8..33]);
        Assert.Equal(iend, png[^12..]);
        Assert.Equal("IDAT", Encoding.ASCII.GetString(png, 37, 4));

        DecodedPng decoded = PngTestDecoder.Decode(png);
        Assert.Equal([255, 0, 0], decoded.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.Chunks.Select(c => c.Type));
    }

    [Fact]
    public void Crc32_matches_the_check_value_and_appends()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Crc32.Compute(check));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(Crc32.Compute(check), Crc32.Append(Crc32.Compute(check.AsSpan(0, 4)), check.AsSpan(4)));
        byte[] noise = RandomPixels(1000, 7);
        Assert.Equal(PngTestDecoder.BitwiseCrc32(noise), Crc32.Compute(noise));
    }

    [Theory]
    [InlineData(0)] // None
    [InlineData(1)] // Sub
    [InlineData(2)] // Up
    [InlineData(3)] // Average
    [InlineData(4)] // Paeth
    public void Every_filter_round_trips_rgb_and_rgba_exactly(int filterType)
    {
        var filter = (PngRowFilter)filterType;
        foreach (var (format, channels) in new[] { (PngPixelFormat.Rgb8, 3), (PngPixelFormat.Rgba8, 4) })
        {
            byte[] pixels = RandomPixels(7 * 5 * channels, seed: (int)filter);
            DecodedPng decoded = PngTestDecoder.Decode(PngWriter.Encode(pixels, 7, 5, format, filter));
            Assert.Equal(pixels, decoded.Pixels);
            Assert.All(decoded.RowFilters, f => Assert.Equal((byte)filter, f));
            Assert.Equal((7, 5, channels == 4 ? (byte)6 : (byte)2), (decoded.Width, decoded.Height, decoded.ColorType));
        }
    }

    [Fact]
    public void Adaptive_filtering_round_trips_and_picks_filters_that_fit_the_rows()
    {
        // Rows 0-3: a horizontal ramp (Sub predicts it); rows 4-7: each row repeats the one above (Up).
        const int width = 16, height = 8;
        var image = new RgbImage(width, height, RgbColor.Black);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = y < 4 ? new RgbColor((byte)(x * 16), (byte)(x * 8), (byte)(255 - x * 16)) : new RgbColor((byte)(x * 37 % 251), 9, (byte)(x * x));
        DecodedPng decoded = PngTestDecoder.Decode(PngWriter.Encode(image));
        Assert.Equal(image.Pixels.ToArray(), decoded.Pixels);
        Assert.Equal((byte)PngRowFilter.Sub, decoded.RowFilters[0]);
        Assert.All(decoded.RowFilters[1..4], f => Assert.Equal((byte)PngRowFilter.Up, f));
        Assert.All(decoded.RowFilters[5..], f => Assert.Equal((byte)PngRowFilter.Up, f));
    }

    [Fact]
    public void Header_fields_say_8_bit_truecolor_deflate_no_interlace()
    {
        DecodedPng decoded = PngTestDecoder.Decode(PngWriter.Encode(new byte[300 * 2 * 4], 300, 2, PngPixelFormat.Rgba8));
        Assert.Equal((300, 2, (byte)8, (byte)6, (byte)0, (byte)0, (byte)0),
            (decoded.Width, decoded.Height, decoded.BitDepth, decoded.ColorType, decoded.Compression, decoded.FilterMethod, decoded.Interlace));
    }

    [Fact]
    public void Large_noise_is_split_over_several_idat_chunks_that_decode_as_one_stream()
    {
        // Noise does not compress: ~1.5 MB of zlib data must span two IDAT chunks of at most 1 MiB.
        const int side = 710;
        byte[] pixels = RandomPixels(side * side * 3, seed: 11);
        DecodedPng decoded = PngTestDecoder.Decode(PngWriter.Encode(pixels, side, side, PngPixelFormat.Rgb8, PngRowFilter.None));
        Assert.Equal(pixels, decoded.Pixels);
        var types = decoded.Chunks.Select(c => c.Type).ToArray();
        Assert.Equal(["IHDR", "IDAT", "IDAT", "IEND"], types);
        Assert.Equal(PngWriter.MaxIdatLength, decoded.Chunks[1].Data.Length);
    }

    [Fact]
    public void Same_pixels_give_the_same_bytes()
    {
        byte[] pixels = RandomPixels(40 * 30 * 3, seed: 5);
        Assert.Equal(PngWriter.Encode(pixels, 40, 30, PngPixelFormat.Rgb8), PngWriter.Encode(pixels, 40, 30, PngPixelFormat.Rgb8));
    }

    [Fact]
    public void Pixel_count_that_does_not_match_the_size_is_refused_with_both_numbers()
    {
        var error = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[10], 2, 2, PngPixelFormat.Rgb8));
        Assert.Contains("12", error.Message);
        Assert.Contains("10", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode([], 0, 1, PngPixelFormat.Rgb8));
    }

    [Fact]
    public void Paeth_picks_the_neighbour_nearest_left_plus_above_minus_corner_preferring_left_then_above()
    {
        // Arguments: left a, above b, above-left c; p = a + b - c.
        Assert.Equal(12, PngRowFilters.Paeth(12, 3, 3));  // p = 12: left is exact
        Assert.Equal(3, PngRowFilters.Paeth(9, 3, 12));   // p = 0: |p-a| 9, |p-b| 3, |p-c| 12
        Assert.Equal(5, PngRowFilters.Paeth(4, 6, 5));    // p = 5: the corner is exact
        Assert.Equal(2, PngRowFilters.Paeth(2, 14, 10));  // p = 6: left and corner tie at 4, left wins
        Assert.Equal(2, PngRowFilters.Paeth(14, 2, 10));  // p = 6: above and corner tie at 4, above wins
    }

    [Fact]
    public void Save_writes_the_encoded_bytes_replaces_old_files_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "picture.png");
        File.WriteAllText(path, "old content");
        var image = new RgbImage(3, 2, new RgbColor(1, 2, 3));
        PngWriter.Save(path, image);
        Assert.Equal(PngWriter.Encode(image), File.ReadAllBytes(path));
        Assert.Equal(["picture.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_into_a_missing_folder_fails_and_creates_nothing()
    {
        string path = Path.Combine(_folder, "missing", "picture.png");
        Assert.Throws<DirectoryNotFoundException>(() => PngWriter.Save(path, new RgbImage(1, 1, RgbColor.White)));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }
}
