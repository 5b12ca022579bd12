using System.Text;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Imaging;

/// <summary>The decoder registry: content sniffing, file errors, host-registered formats and their contract.</summary>
public sealed class ImageDecodersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-decoders-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A toy format: "VPTEST" + width + height bytes, then RGBA; throws InvalidDataException on a short file.</summary>
    private sealed class ToyDecoder : IImageDecoder
    {
        public string FormatName => "TOY";

        public bool CanDecode(ReadOnlySpan<byte> header) => header.StartsWith("VPTEST"u8);

        public DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits limits)
        {
            int width = file[6], height = file[7];
            if (file.Length < 8 + width * height * 4) throw new InvalidDataException("toy pixels are missing");
            return new DecodedImage(width, height, file.Slice(8, width * height * 4), hasAlpha: false, FormatName);
        }
    }

    [Fact]
    public void Format_is_recognised_by_content_not_by_extension()
    {
        byte[] png = PngWriter.Encode([1, 2, 3], 1, 1, PngPixelFormat.Rgb8);
        byte[] bmp = BmpTestEncoder.Encode([4, 5, 6, 255], 1, 1, 24);

        Assert.Equal("PNG", ImageDecoders.Load(Write("photo.bmp", png)).Format);
        Assert.Equal("BMP", ImageDecoders.Load(Write("photo.png", bmp)).Format);
        Assert.Equal([4, 5, 6, 255], ImageDecoders.Load(Write("noextension", bmp)).Pixels.ToArray());
    }

    [Fact]
    public void File_level_problems_name_the_file()
    {
        string empty = Write("empty.png", []);
        string text = Write("notes.png", Encoding.ASCII.GetBytes("hello, this is not a picture"));

        var emptyError = Assert.Throws<ImageFormatException>(() => ImageDecoders.Load(empty));
        Assert.Equal($"{empty}: empty file (0 bytes)", emptyError.Message);
        Assert.Null(emptyError.Format);
        var textError = Assert.Throws<ImageFormatException>(() => ImageDecoders.Load(text));
        Assert.Equal($"{text}: not a recognised image format (starts with 68 65 6C 6C 6F 2C 20 74 \"hello, t\"); readable formats: PNG, BMP",
            textError.Message.Replace(", TOY", ""));
        Assert.Throws<FileNotFoundException>(() => ImageDecoders.Load(Path.Combine(_folder, "missing.png")));
        string big = Write("big.png", PngWriter.Encode(new byte[300], 10, 10, PngPixelFormat.Rgb8));
        Assert.Contains("more than the limit of 10", Assert.Throws<ImageFormatException>(() => ImageDecoders.Load(big, new ImageDecodeLimits { MaxFileBytes = 10 })).Message);
    }

    [Fact]
    public void A_host_registered_decoder_is_used_and_held_to_the_contract()
    {
        var toy = new ToyDecoder();
        ImageDecoders.Register(toy);
        ImageDecoders.Register(toy);
        Assert.Single(ImageDecoders.Registered, d => d == toy);
        Assert.Equal(["PNG", "BMP"], ImageDecoders.Registered.Take(2).Select(d => d.FormatName));

        byte[] file = [.. "VPTEST"u8.ToArray(), 2, 1, 10, 20, 30, 40, 50, 60, 70, 80];
        DecodedImage image = ImageDecoders.Load(Write("toy.bin", file));
        Assert.Equal(("TOY", 2, 1), (image.Format, image.Width, image.Height));
        Assert.Equal(file[8..], image.Pixels.ToArray());

        var damaged = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file[..10], "short.toy"));
        Assert.Equal("short.toy: not a readable TOY image: toy pixels are missing", damaged.Message);
        Assert.IsType<InvalidDataException>(damaged.InnerException);
        var tooWide = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file, "wide.toy", new ImageDecodeLimits { MaxWidth = 1 }));
        Assert.Contains("width 2 exceeds the limit of 1 pixels", tooWide.Message);
        Assert.Throws<ArgumentNullException>(() => ImageDecoders.Register(null!));
    }

    [Fact]
    public void DecodedImage_validates_and_copies_its_pixels()
    {
        byte[] pixels = [1, 2, 3, 4];
        var image = new DecodedImage(1, 1, pixels, hasAlpha: true, "RAW");
        pixels[0] = 99;

        Assert.Equal(1, image.Pixels.Span[0]);
        Assert.Equal(Engine.Imaging.PixelFormat.Rgba32, image.ToFrame().Format);
        Assert.Throws<ArgumentException>(() => new DecodedImage(2, 1, pixels, false, "RAW"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecodedImage(0, 1, [], false, "RAW"));
    }
}
