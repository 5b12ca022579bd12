using System.Buffers.Binary;
using System.IO.Compression;

namespace VisionPlugin.Augmentation;

/// <summary>An 8-bit RGBA picture in memory: rows top to bottom, 4 bytes per pixel (straight alpha).</summary>
internal sealed record PreviewPicture(int Width, int Height, byte[] Rgba, bool HasAlpha);

/// <summary>
/// The small PNG reader behind <c>augment-preview --image</c>: non-interlaced PNGs of colour type 0 (grey),
/// 2 (RGB), 3 (palette, with tRNS transparency), 4 (grey + alpha) and 6 (RGBA) at 8 bits per sample, and 16 bits
/// for the non-palette types (the high byte is kept). Chunk CRCs are not verified; zlib's Adler-32 is.
/// Anything else is an <see cref="InvalidDataException"/> that says what the file has.
/// </summary>
internal static class PreviewImageLoader
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Largest width * height accepted.</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    public static PreviewPicture Load(string path) => Decode(File.ReadAllBytes(path), path);

    public static PreviewPicture Decode(ReadOnlySpan<byte> file, string name = "image")
    {
        if (file.Length < 8 || !file[..8].SequenceEqual(Signature))
            throw new InvalidDataException($"{name} is not a PNG file (augment-preview reads PNG only).");
        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
        byte[] palette = [], transparency = [];
        using var idat = new MemoryStream();
        for (int at = 8; ;)
        {
            if (at + 12 > file.Length) throw new InvalidDataException($"{name}: PNG ends before its IEND chunk.");
            int length = BinaryPrimitives.ReadInt32BigEndian(file[at..]);
            string type = System.Text.Encoding.ASCII.GetString(file.Slice(at + 4, 4));
            if (length < 0 || at + 12L + length > file.Length) throw new InvalidDataException($"{name}: PNG chunk {type} runs past the end of the file.");
            ReadOnlySpan<byte> data = file.Slice(at + 8, length);
            at += 12 + length;
            switch (type)
            {
                case "IHDR":
                    if (length < 13) throw new InvalidDataException($"{name}: PNG header is {length} bytes; 13 expected.");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    (bitDepth, colorType, interlace) = (data[8], data[9], data[12]);
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": transparency = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
                case "IEND": return Assemble(name, width, height, bitDepth, colorType, interlace, palette, transparency, idat.ToArray());
            }
        }
    }

    private static PreviewPicture Assemble(string name, int width, int height, int bitDepth, int colorType, int interlace,
        byte[] palette, byte[] transparency, byte[] compressed)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0) throw new InvalidDataException($"{name}: PNG colour type {colorType} is not a valid type.");
        if (width < 1 || height < 1 || (long)width * height > MaxPixels)
            throw new InvalidDataException($"{name}: PNG size {width}x{height} is empty or above {MaxPixels} pixels.");
        if (!(bitDepth == 8 || (bitDepth == 16 && colorType != 3)))
            throw new InvalidDataException($"{name}: PNG colour type {colorType} at {bitDepth} bits per sample is not supported (8-bit, or 16-bit non-palette).");
        if (interlace != 0) throw new InvalidDataException($"{name}: interlaced (Adam7) PNGs are not supported.");
        if (colorType == 3 && palette.Length < 3) throw new InvalidDataException($"{name}: palette PNG without a PLTE chunk.");

        int bytesPerPixel = channels * bitDepth / 8, stride = width * bytesPerPixel;
        byte[] raw = new byte[(long)(stride + 1) * height];
        using (var inflater = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            int read = 0;
            for (int n; read < raw.Length && (n = inflater.Read(raw, read, raw.Length - read)) > 0;) read += n;
            if (read < raw.Length) throw new InvalidDataException($"{name}: PNG image data holds {read} bytes; {raw.Length} expected.");
        }
        byte[] pixels = Unfilter(name, raw, height, stride, bytesPerPixel);

        var rgba = new byte[(long)width * height * 4];
        bool hasAlpha = colorType is 4 or 6 || transparency.Length > 0;
        int step = bitDepth / 8; // 16-bit samples: keep the most significant byte
        for (long i = 0; i < (long)width * height; i++)
        {
            long s = i * bytesPerPixel, d = i * 4;
            byte Sample(int channel) => pixels[s + channel * step];
            switch (colorType)
            {
                case 0: rgba[d] = rgba[d + 1] = rgba[d + 2] = Sample(0); rgba[d + 3] = 255; break;
                case 2: rgba[d] = Sample(0); rgba[d + 1] = Sample(1); rgba[d + 2] = Sample(2); rgba[d + 3] = 255; break;
                case 4: rgba[d] = rgba[d + 1] = rgba[d + 2] = Sample(0); rgba[d + 3] = Sample(1); break;
                case 6: rgba[d] = Sample(0); rgba[d + 1] = Sample(1); rgba[d + 2] = Sample(2); rgba[d + 3] = Sample(3); break;
                default:
                    int entry = pixels[s];
                    if (3 * entry + 2 >= palette.Length) throw new InvalidDataException($"{name}: palette index {entry} is past the {palette.Length / 3}-entry palette.");
                    rgba[d] = palette[3 * entry]; rgba[d + 1] = palette[3 * entry + 1]; rgba[d + 2] = palette[3 * entry + 2];
                    rgba[d + 3] = entry < transparency.Length ? transparency[entry] : (byte)255;
                    break;
            }
        }
        return new PreviewPicture(width, height, rgba, hasAlpha);
    }

    /// <summary>Undoes the per-row filters (0 none, 1 sub, 2 up, 3 average, 4 Paeth) of PNG's filter method 0.</summary>
    private static byte[] Unfilter(string name, byte[] raw, int height, int stride, int bpp)
    {
        var output = new byte[(long)stride * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[(long)y * (stride + 1)];
            Span<byte> row = output.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> source = raw.AsSpan(y * (stride + 1) + 1, stride);
            ReadOnlySpan<byte> up = y > 0 ? output.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bpp ? row[x - bpp] : 0, b = up[x], c = x >= bpp ? up[x - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{name}: PNG row {y} has unknown filter type {filter}."),
                };
                row[x] = (byte)(source[x] + predictor);
            }
        }
        return output;
    }

    // Paeth predictor: the neighbour (left a, up b, up-left c) closest to a + b - c, ties in order a, b, c.
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
