namespace VisionPlugin.Imaging;

/// <summary>
/// Turns inflated PNG image data into RGBA8: undoes the five row filters in place, pass by pass, and
/// expands each row's packed samples (1/2/4/8/16 bits, grey, grey+alpha, RGB, RGBA or palette index)
/// to 4 bytes per pixel, scattering Adam7 passes to their pixels. Sample scaling to 8 bits: depths
/// below 8 are stretched exactly (<c>v * 255 / (2^depth - 1)</c>, so 1-bit white is 255); 16-bit samples
/// are rounded to nearest (<c>round(v / 257)</c>, exact for values written by an 8-to-16 expansion).
/// A tRNS colour (grey or RGB) is compared with the raw samples at full depth, as the spec requires.
/// </summary>
internal sealed class PngReconstructor
{
    private readonly PngHeader _header;
    private readonly byte[] _palette;          // 256 RGBA entries; entries past the PLTE are unused
    private readonly int _paletteCount;
    private readonly int[]? _transparentColor; // tRNS for grey (1 sample) or RGB (3 samples), raw values
    private readonly string _fileName;

    /// <param name="header">The validated IHDR.</param>
    /// <param name="palette">PLTE entries as RGBA (alpha from tRNS, else 255); empty unless colour type 3.</param>
    /// <param name="paletteCount">Entries in the PLTE chunk.</param>
    /// <param name="transparentColor">The tRNS colour for types 0 (1 value) and 2 (3 values), or null.</param>
    /// <param name="fileName">Names the file in messages.</param>
    public PngReconstructor(PngHeader header, byte[] palette, int paletteCount, int[]? transparentColor, string fileName)
    {
        _header = header;
        _palette = palette;
        _paletteCount = paletteCount;
        _transparentColor = transparentColor;
        _fileName = fileName;
    }

    /// <summary>Unfilters <paramref name="raw"/> in place and returns the image as RGBA8.</summary>
    /// <param name="raw">Exactly <see cref="PngHeader.InflatedLength"/> bytes.</param>
    /// <exception cref="ImageFormatException">A row has an unknown filter type, or a pixel a palette index past the PLTE.</exception>
    public byte[] ToRgba(byte[] raw)
    {
        var rgba = new byte[(long)_header.Width * _header.Height * DecodedImage.BytesPerPixel];
        var zeros = new byte[_header.RowBytes(_header.Width)];
        int stride = _header.FilterStride, offset = 0, passNumber = 0;
        foreach (PngPass pass in _header.Passes())
        {
            passNumber++;
            int rowBytes = (int)_header.RowBytes(pass.Width);
            for (int passRow = 0; passRow < pass.Height; passRow++)
            {
                byte filter = raw[offset];
                Span<byte> row = raw.AsSpan(offset + 1, rowBytes);
                ReadOnlySpan<byte> previous = passRow == 0 ? zeros.AsSpan(0, rowBytes) : raw.AsSpan(offset - rowBytes, rowBytes);
                if (filter > 4)
                {
                    string where = _header.Interlaced ? $"row {passRow} of Adam7 pass {passNumber}" : $"row {passRow}";
                    throw PngDecoder.Error(_fileName, $"{where} has filter type {filter}; only 0-4 exist");
                }
                Unfilter(filter, row, previous, stride);
                ExpandRow(row, pass, pass.StartY + passRow * pass.StepY, rgba);
                offset += 1 + rowBytes;
            }
        }
        return rgba;
    }

    // Adds back the predictor each filter subtracted: a = byte one pixel left, b = byte above, c = above-left (0 outside).
    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int stride)
    {
        switch (filter)
        {
            case 1: // Sub: x += a
                for (int i = stride; i < row.Length; i++) row[i] += row[i - stride];
                break;
            case 2: // Up: x += b
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                break;
            case 3: // Average: x += floor((a + b) / 2)
                for (int i = 0; i < stride && i < row.Length; i++) row[i] += (byte)(previous[i] >> 1);
                for (int i = stride; i < row.Length; i++) row[i] += (byte)((row[i - stride] + previous[i]) >> 1);
                break;
            case 4: // Paeth: x += whichever of a, b, c is nearest a + b - c (with a = c = 0 that is b)
                for (int i = 0; i < stride && i < row.Length; i++) row[i] += previous[i];
                for (int i = stride; i < row.Length; i++)
                    row[i] += (byte)Visualization.PngRowFilters.Paeth(row[i - stride], previous[i], previous[i - stride]);
                break;
        }
    }

    private void ExpandRow(ReadOnlySpan<byte> row, PngPass pass, int y, byte[] rgba)
    {
        int depth = _header.BitDepth;
        int dst = (y * _header.Width + pass.StartX) * DecodedImage.BytesPerPixel, step = pass.StepX * DecodedImage.BytesPerPixel;
        switch (_header.ColorType)
        {
            case PngColorType.Rgba when depth == 8 && pass.StepX == 1:
                row.CopyTo(rgba.AsSpan(dst));
                break;
            case PngColorType.Grey:
                for (int i = 0; i < pass.Width; i++, dst += step)
                {
                    int grey = Sample(row, i, depth);
                    byte value = To8(grey, depth);
                    rgba[dst] = rgba[dst + 1] = rgba[dst + 2] = value;
                    rgba[dst + 3] = _transparentColor is [var key] && grey == key ? (byte)0 : (byte)255;
                }
                break;
            case PngColorType.Rgb:
                for (int i = 0; i < pass.Width; i++, dst += step)
                {
                    int r = Sample(row, 3 * i, depth), g = Sample(row, 3 * i + 1, depth), b = Sample(row, 3 * i + 2, depth);
                    rgba[dst] = To8(r, depth);
                    rgba[dst + 1] = To8(g, depth);
                    rgba[dst + 2] = To8(b, depth);
                    rgba[dst + 3] = _transparentColor is [var kr, var kg, var kb] && r == kr && g == kg && b == kb ? (byte)0 : (byte)255;
                }
                break;
            case PngColorType.Palette:
                for (int i = 0; i < pass.Width; i++, dst += step)
                {
                    int index = Sample(row, i, depth);
                    if (index >= _paletteCount)
                        throw PngDecoder.Error(_fileName,
                            $"pixel ({pass.StartX + i * pass.StepX}, {y}) uses palette index {index}, but PLTE has only {_paletteCount} entries");
                    _palette.AsSpan(4 * index, 4).CopyTo(rgba.AsSpan(dst));
                }
                break;
            case PngColorType.GreyAlpha:
                for (int i = 0; i < pass.Width; i++, dst += step)
                {
                    rgba[dst] = rgba[dst + 1] = rgba[dst + 2] = To8(Sample(row, 2 * i, depth), depth);
                    rgba[dst + 3] = To8(Sample(row, 2 * i + 1, depth), depth);
                }
                break;
            case PngColorType.Rgba:
                for (int i = 0; i < pass.Width; i++, dst += step)
                    for (int c = 0; c < 4; c++)
                        rgba[dst + c] = To8(Sample(row, 4 * i + c, depth), depth);
                break;
        }
    }

    /// <summary>Sample <paramref name="index"/> of a packed row: sub-byte samples fill each byte from its high bits; 16-bit ones are big-endian.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
    {
        8 => row[index],
        16 => row[2 * index] << 8 | row[2 * index + 1],
        _ => (row[index * depth >> 3] >> (8 - depth - (index * depth & 7))) & ((1 << depth) - 1),
    };

    /// <summary>A sample of <paramref name="depth"/> bits scaled to 0..255 (16 bits: rounded, <c>(v + 128) / 257</c> = round(v / 257)).</summary>
    private static byte To8(int sample, int depth) => depth switch
    {
        8 => (byte)sample,
        16 => (byte)((sample + 128) / 257),
        _ => (byte)(sample * 255 / ((1 << depth) - 1)),
    };
}
