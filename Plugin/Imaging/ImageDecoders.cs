namespace VisionPlugin.Imaging;

/// <summary>
/// The registry of image decoders and the one way to load an image file: <see cref="Load"/> reads the
/// file, picks the first registered decoder whose <see cref="IImageDecoder.CanDecode"/> accepts the
/// file's first bytes (the extension is never consulted: a PNG named <c>photo.jpg</c> loads as PNG)
/// and decodes it to RGBA8. PNG and BMP are built in; hosts add formats with <see cref="Register"/>.
/// Thread-safe.
/// </summary>
public static class ImageDecoders
{
    /// <summary>How many leading bytes of a file <see cref="IImageDecoder.CanDecode"/> sees.</summary>
    public const int SniffLength = 64;

    private static readonly Lock Gate = new();
    private static IImageDecoder[] _decoders = [new PngDecoder(), new BmpDecoder()];

    /// <summary>The decoders in the order they are tried: the built-in PNG and BMP first, then registered ones.</summary>
    public static IReadOnlyList<IImageDecoder> Registered => Volatile.Read(ref _decoders);

    /// <summary>
    /// Adds a decoder after those already registered (the built-ins keep precedence for their formats).
    /// Registering the same instance again does nothing.
    /// </summary>
    /// <param name="decoder">The decoder; it must be thread-safe.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decoder"/> is null.</exception>
    /// <exception cref="ArgumentException">Its <see cref="IImageDecoder.FormatName"/> is empty.</exception>
    public static void Register(IImageDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (string.IsNullOrWhiteSpace(decoder.FormatName))
            throw new ArgumentException($"Decoder {decoder.GetType().Name} has an empty FormatName.", nameof(decoder));
        lock (Gate)
        {
            if (Array.IndexOf(_decoders, decoder) >= 0) return;
            Volatile.Write(ref _decoders, [.. _decoders, decoder]);
        }
    }

    /// <summary>The first registered decoder that accepts <paramref name="header"/>, or null.</summary>
    /// <param name="header">The start of a file (only the first <see cref="SniffLength"/> bytes are looked at).</param>
    public static IImageDecoder? Find(ReadOnlySpan<byte> header)
    {
        ReadOnlySpan<byte> sniff = header[..Math.Min(header.Length, SniffLength)];
        foreach (IImageDecoder decoder in Registered)
            if (decoder.CanDecode(sniff)) return decoder;
        return null;
    }

    /// <summary>Reads and decodes an image file, recognising its format by its first bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Size limits; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <returns>The pixels as RGBA8.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">The file is empty, too large, of no registered format, or damaged.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DecodedImage Load(string path, ImageDecodeLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= ImageDecodeLimits.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length == 0) throw new ImageFormatException(path, null, "empty file (0 bytes)");
        if (length > limits.MaxFileBytes)
            throw new ImageFormatException(path, null, $"file is {length} bytes, more than the limit of {limits.MaxFileBytes}");
        var file = new byte[length];
        stream.ReadExactly(file);
        return Decode(file, path, limits);
    }

    /// <summary>Decodes an image held in memory, recognising its format by its first bytes.</summary>
    /// <param name="file">The complete file contents.</param>
    /// <param name="fileName">A name for messages (a path, a URL, "camera snapshot").</param>
    /// <param name="limits">Size limits; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <returns>The pixels as RGBA8.</returns>
    /// <exception cref="ImageFormatException">The data is empty, of no registered format, damaged, or beyond the limits.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> file, string fileName, ImageDecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        limits ??= ImageDecodeLimits.Default;
        if (file.IsEmpty) throw new ImageFormatException(fileName, null, "empty file (0 bytes)");
        IImageDecoder decoder = Find(file) ?? throw new ImageFormatException(fileName, null,
            $"not a recognised image format (starts with {Describe(file)}); readable formats: {string.Join(", ", Registered.Select(d => d.FormatName))}");
        DecodedImage image;
        try
        {
            image = decoder.Decode(file, fileName, limits);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException
                                      or NotSupportedException or EndOfStreamException)
        {
            // A host decoder that reports damage with a general exception still honours the contract.
            throw new ImageFormatException(fileName, decoder.FormatName, e.Message, e);
        }
        if (image is null) throw new ImageFormatException(fileName, decoder.FormatName, $"decoder {decoder.GetType().Name} returned no image");
        limits.Check(image.Width, image.Height, fileName, decoder.FormatName);
        return image;
    }

    // "89 50 4E 47 0D 0A 1A 0A" plus the printable ASCII, so a text or HTML file is recognisable in the message.
    private static string Describe(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> head = file[..Math.Min(file.Length, 8)];
        string hex = Convert.ToHexString(head);
        var spaced = string.Join(' ', Enumerable.Range(0, head.Length).Select(i => hex.Substring(2 * i, 2)));
        var text = new string([.. head.ToArray().Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.')]);
        return $"{spaced} \"{text}\"";
    }
}
