using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Capture.Native;
using VisionPlugin.Imaging;
using static VisionPlugin.Host.Tests.Capture.CaptureTestSupport;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class OpenCvImageDecoderTests
{
    public OpenCvImageDecoderTests() => OpenCvImageDecoder.Register();

    // Left half red, right half blue (BGR8), encoded by OpenCV.
    private static byte[] Encode(string extension, int width = 40, int height = 30)
    {
        var bgr = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                (bgr[(y * width + x) * 3], bgr[(y * width + x) * 3 + 2]) = x < width / 2 ? ((byte)0, (byte)255) : ((byte)255, (byte)0);
        return Cv2.ImEncode(extension, bgr, width, height, width * 3);
    }

    private static (byte R, byte G, byte B, byte A) Rgba(DecodedImage image, int x, int y)
    {
        ReadOnlySpan<byte> p = image.Pixels.Span[((y * image.Width + x) * 4)..];
        return (p[0], p[1], p[2], p[3]);
    }

    [Theory]
    [InlineData(".jpg", "JPEG")]
    [InlineData(".webp", "WEBP")]
    public void EncodedImage_DecodesThroughTheRegistryAsRgba(string extension, string format)
    {
        byte[] file = Encode(extension);
        DecodedImage image = ImageDecoders.Decode(file, "halves" + extension);
        Assert.Equal((40, 30, format, false), (image.Width, image.Height, image.Format, image.HasAlpha));
        (byte r, byte g, byte b, byte a) = Rgba(image, 5, 15);
        Assert.True(r > 230 && g < 25 && b < 25 && a == 255, $"left should be red, got {r},{g},{b},{a}");
        (r, g, b, a) = Rgba(image, 34, 15);
        Assert.True(r < 25 && g < 25 && b > 230 && a == 255, $"right should be blue, got {r},{g},{b},{a}");
    }

    [Fact]
    public void Load_RecognisesJpegByItsBytesNotItsName()
    {
        using var folder = new TempFolder();
        string path = folder.File("photo.png");
        File.WriteAllBytes(path, Encode(".jpg"));
        Assert.Equal("JPEG", ImageDecoders.Load(path).Format);
    }

    [Fact]
    public void TruncatedJpeg_IsAnImageFormatExceptionNamingTheFile()
    {
        byte[] file = Encode(".jpg");
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file.AsSpan(0, file.Length * 2 / 3), "cut.jpg"));
        Assert.Equal(("cut.jpg", "JPEG"), (error.FileName, error.Format));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void JpegWithDamagedMarkers_IsAnImageFormatException()
    {
        byte[] file = Encode(".jpg");
        file[3] = 0x00; // the APP0 marker becomes FF 00 ...: no valid segment structure
        for (int i = 4; i < 40; i++) file[i] = 0x11;
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file, "garbled.jpg"));
        Assert.Contains("garbled.jpg: not a readable JPEG image", error.Message);
    }

    [Fact]
    public void JpegHeaderBeyondTheLimits_IsRefusedBeforeDecoding()
    {
        byte[] file = Encode(".jpg");
        (int width, int height, int sof, string? problem) = JpegHeader.Read(file);
        Assert.Null(problem);
        Assert.Equal((40, 30), (width, height));
        // SOF payload: length(2) precision(1) height(2) width(2): claim 60000 x 60000.
        file[sof + 5] = 0xEA; file[sof + 6] = 0x60; file[sof + 7] = 0xEA; file[sof + 8] = 0x60;
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(file, "huge.jpg"));
        Assert.Contains("width 60000 exceeds the limit of 16384", error.Message);
        var small = new ImageDecodeLimits { MaxPixels = 100 };
        Assert.Contains("exceeds the limit of 100", Assert.Throws<ImageFormatException>(() => ImageDecoders.Decode(Encode(".jpg"), "a.jpg", small)).Message);
    }

    [Fact]
    public void WebPHeader_GivesTheCanvasSize()
    {
        (int width, int height, bool alpha, string? problem) = WebPHeader.Read(Encode(".webp", 33, 17));
        Assert.Equal((33, 17, false, (string?)null), (width, height, alpha, problem));
    }

    [Fact]
    public void CanDecode_SniffsMagicBytesOnly()
    {
        Assert.True(OpenCvImageDecoder.Jpeg.CanDecode([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.False(OpenCvImageDecoder.Jpeg.CanDecode([0x89, (byte)'P', (byte)'N', (byte)'G']));
        Assert.True(OpenCvImageDecoder.WebP.CanDecode("RIFF\0\0\0\0WEBPVP8 "u8));
        Assert.False(OpenCvImageDecoder.WebP.CanDecode("RIFF\0\0\0\0WAVEfmt "u8));
        Assert.Contains(OpenCvImageDecoder.Jpeg, ImageDecoders.Registered);
        OpenCvImageDecoder.Register(); // idempotent
        Assert.Single(ImageDecoders.Registered, d => d.FormatName == "JPEG");
    }

    [Fact]
    public void ShimErrors_SurfaceAsOpenCvExceptionsWithTheNativeMessage()
    {
        using var image = new Mat();
        Assert.True(Cv2.ImDecode(Encode(".jpg"), 1 << 20, ShimPixelLayout.Bgr8, image));
        Assert.Equal((40, 30, 3), image.Size);
        var error = Assert.Throws<OpenCvException>(() => image.CopyTo(new byte[100], 120));
        Assert.Contains("target buffer too small", error.Message);
        Assert.Equal(OpenCvShim.ErrorTooSmall, error.Code);
        Assert.False(Cv2.ImDecode("not an image at all"u8, 1 << 20, ShimPixelLayout.Bgr8, image));
        Assert.Contains("outside 1..4", Assert.Throws<OpenCvException>(() => Cv2.ImDecode("12345"u8, 4, ShimPixelLayout.Bgr8, image)).Message);
    }
}
