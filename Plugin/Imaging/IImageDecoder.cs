namespace VisionPlugin.Imaging;

/// <summary>
/// Decodes one image file format into RGBA8. Built in: <see cref="PngDecoder"/> and <see cref="BmpDecoder"/>;
/// a host adds more (e.g. JPEG through OpenCV's <c>cv::imdecode</c>) with <see cref="ImageDecoders.Register"/>.
/// Implementations must be stateless or thread-safe: the registry shares one instance.
/// </summary>
public interface IImageDecoder
{
    /// <summary>Short upper-case format name used in messages: "PNG", "BMP", "JPEG".</summary>
    string FormatName { get; }

    /// <summary>
    /// Whether the file starts with this format's magic bytes. Look only at the bytes given: the first
    /// <see cref="ImageDecoders.SniffLength"/> bytes of the file, or all of it when it is shorter.
    /// Never decides by file name or extension.
    /// </summary>
    /// <param name="header">The start of the file.</param>
    bool CanDecode(ReadOnlySpan<byte> header);

    /// <summary>
    /// Decodes a whole file. Check the header's dimensions with <see cref="ImageDecodeLimits.Check"/>
    /// before allocating pixel memory; report every problem as an <see cref="ImageFormatException"/>
    /// naming <paramref name="fileName"/>.
    /// </summary>
    /// <param name="file">The complete file contents.</param>
    /// <param name="fileName">The file path or another name for messages.</param>
    /// <param name="limits">Size limits to enforce.</param>
    /// <returns>The pixels as RGBA8.</returns>
    /// <exception cref="ImageFormatException">The data is damaged, unsupported or too large.</exception>
    DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits limits);
}
