using System.IO.Compression;

namespace VisionPlugin.Imaging;

/// <summary>
/// Inflates the zlib stream of a PNG's IDAT chunks into exactly the number of bytes the header implies,
/// defensively: the buffer grows with the data actually produced (so a tiny file that claims a huge
/// image costs little memory before it is found short), inflation stops one byte past the expected
/// length (so a "zlib bomb" never expands), and zlib errors, short streams and overlong streams are
/// each reported as an <see cref="ImageFormatException"/>.
/// </summary>
internal static class PngInflater
{
    private const int InitialCapacity = 64 * 1024;

    /// <summary>Inflates <paramref name="compressed"/> to <paramref name="expectedLength"/> bytes.</summary>
    /// <param name="compressed">The IDAT payloads joined in file order.</param>
    /// <param name="expectedLength">Bytes the image needs: filter bytes plus packed rows of every pass.</param>
    /// <param name="fileName">Names the file in messages.</param>
    /// <param name="imageDescription">Describes the image in messages, e.g. "640x480 RGBA 8-bit".</param>
    /// <exception cref="ImageFormatException">The stream is damaged, too short or too long.</exception>
    public static byte[] Inflate(byte[] compressed, long expectedLength, string fileName, string imageDescription)
    {
        if (expectedLength > Array.MaxLength)
            throw PngDecoder.Error(fileName, $"{imageDescription} needs {expectedLength} bytes of image data, more than one array can hold");
        int expected = (int)expectedLength;
        var buffer = new byte[Math.Min(expected, Math.Max(InitialCapacity, 4L * compressed.Length))];
        int filled = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            while (filled < expected)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
                int read = zlib.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                    throw PngDecoder.Error(fileName,
                        $"image data is truncated: the zlib stream ends after {filled} of the {expected} bytes a {imageDescription} image needs");
                filled += read;
            }
            // One more byte means the stream holds more than the image: stop here rather than inflate it all.
            Span<byte> probe = stackalloc byte[1];
            if (zlib.Read(probe) != 0)
                throw PngDecoder.Error(fileName,
                    $"image data inflates past the {expected} bytes a {imageDescription} image needs (a zlib bomb or a wrong IHDR); inflation stopped there");
        }
        catch (InvalidDataException e)
        {
            throw PngDecoder.Error(fileName, $"image data is not a valid zlib stream after {filled} inflated bytes: {e.Message}", e);
        }
        return buffer;
    }
}
