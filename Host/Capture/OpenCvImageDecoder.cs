using VisionPlugin.Host.Capture.Native;
using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// JPEG and WebP decoding through OpenCV's <c>cv::imdecode</c>, plugged into the Plugin's <see cref="ImageDecoders"/>
/// registry by <see cref="Register"/> (call once at host start-up). The header is parsed here first, so
/// <see cref="ImageDecodeLimits"/> are enforced before OpenCV allocates pixels; damaged or truncated files become
/// <see cref="ImageFormatException"/>s naming the file. EXIF orientation is not applied (pixels as stored). Thread-safe.
/// </summary>
public sealed class OpenCvImageDecoder : IImageDecoder
{
    /// <summary>Baseline and progressive JPEG (magic FF D8 FF).</summary>
    public static OpenCvImageDecoder Jpeg { get; } = new("JPEG");

    /// <summary>Lossy, lossless and extended WebP (magic "RIFF" .... "WEBP").</summary>
    public static OpenCvImageDecoder WebP { get; } = new("WEBP");

    private OpenCvImageDecoder(string formatName) => FormatName = formatName;

    public string FormatName { get; }

    /// <summary>Adds <see cref="Jpeg"/> and <see cref="WebP"/> to <see cref="ImageDecoders"/> (idempotent).</summary>
    public static void Register()
    {
        ImageDecoders.Register(Jpeg);
        ImageDecoders.Register(WebP);
    }

    public bool CanDecode(ReadOnlySpan<byte> header) =>
        ReferenceEquals(this, Jpeg) ? JpegHeader.HasSignature(header) : WebPHeader.HasSignature(header);

    public DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(limits);
        (int width, int height, bool hasAlpha) = ReadHeader(file, fileName);
        limits.Check(width, height, fileName, FormatName);
        if (file.Length > limits.MaxFileBytes)
            throw new ImageFormatException(fileName, FormatName, $"file is {file.Length} bytes, more than the limit of {limits.MaxFileBytes}");
        using var image = new Mat();
        try
        {
            if (!Cv2.ImDecode(file, limits.MaxFileBytes, ShimPixelLayout.Rgba8, image))
                throw new ImageFormatException(fileName, FormatName, "OpenCV could not decode the data (damaged file)");
        }
        catch (OpenCvException e)
        {
            throw new ImageFormatException(fileName, FormatName, e.Message, e);
        }
        (int decodedWidth, int decodedHeight, int channels) = image.Size;
        if (decodedWidth != width || decodedHeight != height || channels != DecodedImage.BytesPerPixel)
            throw new ImageFormatException(fileName, FormatName, $"the header says {width}x{height} but OpenCV decoded {decodedWidth}x{decodedHeight}x{channels}");
        var rgba = new byte[width * height * DecodedImage.BytesPerPixel];
        image.CopyTo(rgba, width * DecodedImage.BytesPerPixel);
        return new DecodedImage(width, height, rgba, hasAlpha, FormatName);
    }

    private (int Width, int Height, bool HasAlpha) ReadHeader(ReadOnlySpan<byte> file, string fileName)
    {
        if (ReferenceEquals(this, WebP))
        {
            (int width, int height, bool alpha, string? problem) = WebPHeader.Read(file);
            return problem is null ? (width, height, alpha) : throw new ImageFormatException(fileName, FormatName, problem);
        }
        (int jpegWidth, int jpegHeight, int frameOffset, string? jpegProblem) = JpegHeader.Read(file);
        if (jpegProblem is not null) throw new ImageFormatException(fileName, FormatName, jpegProblem);
        if (!JpegHeader.HasEndOfImage(file, frameOffset))
            throw new ImageFormatException(fileName, FormatName, $"file is truncated: no end-of-image marker (FF D9) in its {file.Length} bytes");
        return (jpegWidth, jpegHeight, false);
    }
}
