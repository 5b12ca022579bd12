namespace VisionPlugin.Imaging;

/// <summary>
/// An image file that cannot be decoded: a wrong signature, a damaged or truncated file, an unsupported
/// variant of the format, or dimensions beyond the <see cref="ImageDecodeLimits"/>. The message names the
/// file, the format and the problem, e.g.
/// <c>cat.png: not a readable PNG image: CRC mismatch in chunk 'IDAT' at byte 33 (stored 0x1234ABCD, computed 0x99AA0011)</c>.
/// </summary>
public sealed class ImageFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file (or other source name) being decoded.</param>
    /// <param name="format">The format it was decoded as ("PNG", "BMP"); null when no decoder recognised it.</param>
    /// <param name="problem">What is wrong, as a phrase that makes sense without the file name.</param>
    /// <param name="innerException">The lower-level failure, if any (e.g. the zlib error).</param>
    public ImageFormatException(string fileName, string? format, string problem, Exception? innerException = null)
        : base(format is null ? $"{fileName}: {problem}" : $"{fileName}: not a readable {format} image: {problem}", innerException)
    {
        FileName = fileName;
        Format = format;
        Problem = problem;
    }

    /// <summary>The file (or other source name) that failed to decode.</summary>
    public string FileName { get; }

    /// <summary>The format the file was decoded as; null when its first bytes matched no registered decoder.</summary>
    public string? Format { get; }

    /// <summary>The problem without the file name (what <see cref="ImageFolderDataset"/> lists as a skip reason).</summary>
    public string Problem { get; }

    /// <summary>
    /// <see cref="Problem"/> prefixed with the format when there is one: "not a readable PNG image: file ends inside chunk 'IDAT' ...".
    /// </summary>
    public string Reason => Format is null ? Problem : $"not a readable {Format} image: {Problem}";
}
