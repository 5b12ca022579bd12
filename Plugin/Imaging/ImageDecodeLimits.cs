namespace VisionPlugin.Imaging;

/// <summary>
/// Bounds a decoder enforces before it allocates anything that grows with the image, so a hostile or
/// damaged header (a PNG claiming 1,000,000 x 1,000,000 pixels) is refused with a clear message instead of
/// exhausting memory. The defaults allow any image of up to 16384 pixels a side and 64 Mi pixels
/// (256 MiB of RGBA8) in a file of up to 256 MiB.
/// </summary>
public sealed record ImageDecodeLimits
{
    /// <summary>The default limits.</summary>
    public static ImageDecodeLimits Default { get; } = new();

    /// <summary>Largest <see cref="MaxPixels"/> accepted: the RGBA8 output must fit in one array (about 512 Mi pixels).</summary>
    public static long PixelCeiling => Array.MaxLength / DecodedImage.BytesPerPixel;

    private readonly int _maxWidth = 16384;
    private readonly int _maxHeight = 16384;
    private readonly long _maxPixels = 64L * 1024 * 1024;
    private readonly long _maxFileBytes = 256L * 1024 * 1024;

    /// <summary>Largest width in pixels, 1 or more (default 16384).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxWidth
    {
        get => _maxWidth;
        init => _maxWidth = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxWidth), value, "MaxWidth must be at least 1.");
    }

    /// <summary>Largest height in pixels, 1 or more (default 16384).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxHeight
    {
        get => _maxHeight;
        init => _maxHeight = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxHeight), value, "MaxHeight must be at least 1.");
    }

    /// <summary>Largest width x height, 1..<see cref="PixelCeiling"/> (default 64 Mi = 67,108,864).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..<see cref="PixelCeiling"/>.</exception>
    public long MaxPixels
    {
        get => _maxPixels;
        init => _maxPixels = value >= 1 && value <= PixelCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, $"MaxPixels must be in 1..{PixelCeiling}.");
    }

    /// <summary>Largest file <see cref="ImageDecoders.Load"/> reads, in bytes, 1..<see cref="Array.MaxLength"/> (default 256 MiB).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..<see cref="Array.MaxLength"/>.</exception>
    public long MaxFileBytes
    {
        get => _maxFileBytes;
        init => _maxFileBytes = value >= 1 && value <= Array.MaxLength
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), value, $"MaxFileBytes must be in 1..{Array.MaxLength}.");
    }

    /// <summary>
    /// Throws unless a <paramref name="width"/> x <paramref name="height"/> image is within the limits.
    /// Decoders call this with the header's dimensions before allocating pixels.
    /// </summary>
    /// <param name="width">Width from the file header (may be absurd: it is checked here).</param>
    /// <param name="height">Height from the file header.</param>
    /// <param name="fileName">Names the file in the message.</param>
    /// <param name="format">Names the format in the message.</param>
    /// <exception cref="ImageFormatException">A side is below 1 or above its limit, or the pixel count is above <see cref="MaxPixels"/>.</exception>
    public void Check(long width, long height, string fileName, string format)
    {
        if (width < 1 || height < 1)
            throw new ImageFormatException(fileName, format, $"the header gives an empty size {width}x{height}");
        if (width > MaxWidth)
            throw new ImageFormatException(fileName, format, $"width {width} exceeds the limit of {MaxWidth} pixels");
        if (height > MaxHeight)
            throw new ImageFormatException(fileName, format, $"height {height} exceeds the limit of {MaxHeight} pixels");
        if (width * height > MaxPixels)
            throw new ImageFormatException(fileName, format, $"{width}x{height} = {width * height} pixels exceeds the limit of {MaxPixels}");
    }
}
