namespace VisionPlugin.Imaging;

/// <summary>
/// Shrinks RGBA8 images on the CPU by area averaging (what OpenCV calls INTER_AREA): each output pixel
/// is the mean of the source area it covers, partial source pixels weighted by the covered fraction,
/// so no source pixel is skipped and no aliasing appears. Averaging is done on premultiplied alpha
/// (<c>colour * alpha</c>), so the invisible colour of fully transparent pixels does not bleed into the
/// edges of a cut-out (a red shape on a transparent black background stays red, not dark red).
/// Separable: a horizontal pass per source row, accumulated into the output rows it overlaps.
/// </summary>
public static class AreaResampler
{
    /// <summary>
    /// The image shrunk so its longer side is at most <paramref name="maxSide"/>, keeping the aspect
    /// ratio (each side rounded, at least 1); the same instance when it already fits.
    /// </summary>
    /// <param name="image">The source.</param>
    /// <param name="maxSide">Largest allowed width and height, 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSide"/> is less than 1.</exception>
    public static DecodedImage FitWithin(DecodedImage image, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        int longer = Math.Max(image.Width, image.Height);
        if (longer <= maxSide) return image;
        double scale = (double)maxSide / longer;
        int width = Math.Clamp((int)Math.Round(image.Width * scale), 1, maxSide);
        int height = Math.Clamp((int)Math.Round(image.Height * scale), 1, maxSide);
        return Downscale(image, width, height);
    }

    /// <summary>Shrinks <paramref name="image"/> to exactly <paramref name="width"/> x <paramref name="height"/> by area averaging.</summary>
    /// <param name="image">The source.</param>
    /// <param name="width">Output columns, 1..image.Width.</param>
    /// <param name="height">Output rows, 1..image.Height.</param>
    /// <exception cref="ArgumentOutOfRangeException">A target side is below 1 or larger than the source's (this only shrinks).</exception>
    public static DecodedImage Downscale(DecodedImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width > image.Width || height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"Area averaging only shrinks: {image.Width}x{image.Height} cannot become {width}x{height}.");
        if (width == image.Width && height == image.Height) return image;

        Span<(int First, float[] Weights)> columns = Footprints(image.Width, width);
        Span<(int First, float[] Weights)> rows = Footprints(image.Height, height);
        ReadOnlySpan<byte> source = image.Pixels.Span;
        var accumulated = new float[width * height * 4]; // premultiplied R, G, B and alpha in [0, 1]
        var horizontal = new float[width * 4];
        int cachedRow = -1;
        for (int outY = 0; outY < height; outY++)
        {
            var (firstRow, rowWeights) = rows[outY];
            Span<float> target = accumulated.AsSpan(outY * width * 4, width * 4);
            for (int k = 0; k < rowWeights.Length; k++)
            {
                int sourceY = firstRow + k;
                if (sourceY != cachedRow)
                {
                    ShrinkRow(source.Slice(sourceY * image.Width * 4, image.Width * 4), columns, horizontal);
                    cachedRow = sourceY;
                }
                float weight = rowWeights[k];
                for (int i = 0; i < target.Length; i++) target[i] += weight * horizontal[i];
            }
        }

        var pixels = new byte[accumulated.Length];
        for (int i = 0; i < pixels.Length; i += 4)
        {
            float alpha = accumulated[i + 3];
            if (alpha <= 0) continue; // fully transparent: RGBA 0, 0, 0, 0
            for (int c = 0; c < 3; c++) pixels[i + c] = (byte)Math.Clamp(MathF.Round(accumulated[i + c] / alpha), 0, 255);
            pixels[i + 3] = (byte)Math.Clamp(MathF.Round(alpha * 255), 0, 255);
        }
        return DecodedImage.Own(width, height, pixels, image.HasAlpha, image.Format);
    }

    // One source row -> output columns: premultiplied (R*a, G*a, B*a, a) with a in [0, 1], weighted by coverage.
    private static void ShrinkRow(ReadOnlySpan<byte> row, Span<(int First, float[] Weights)> columns, float[] output)
    {
        for (int outX = 0; outX < columns.Length; outX++)
        {
            var (first, weights) = columns[outX];
            float r = 0, g = 0, b = 0, a = 0;
            for (int k = 0; k < weights.Length; k++)
            {
                int s = (first + k) * 4;
                float alpha = row[s + 3] * (1f / 255), weight = weights[k] * alpha;
                r += weight * row[s];
                g += weight * row[s + 1];
                b += weight * row[s + 2];
                a += weights[k] * alpha;
            }
            output[4 * outX] = r;
            output[4 * outX + 1] = g;
            output[4 * outX + 2] = b;
            output[4 * outX + 3] = a;
        }
    }

    /// <summary>
    /// For each of <paramref name="outputLength"/> cells over <paramref name="sourceLength"/> source pixels
    /// (cell d covers [d*s, (d+1)*s) with s = source/output), the first source pixel it touches and each
    /// touched pixel's overlap / s; each cell's weights sum to 1.
    /// </summary>
    private static (int First, float[] Weights)[] Footprints(int sourceLength, int outputLength)
    {
        double scale = (double)sourceLength / outputLength;
        var result = new (int, float[])[outputLength];
        for (int d = 0; d < outputLength; d++)
        {
            double start = d * scale, end = Math.Min((d + 1) * scale, sourceLength);
            int first = (int)Math.Floor(start), last = Math.Min(sourceLength - 1, (int)Math.Ceiling(end) - 1);
            var weights = new float[last - first + 1];
            for (int k = first; k <= last; k++)
                weights[k - first] = (float)((Math.Min(k + 1, end) - Math.Max(k, start)) / scale);
            result[d] = (first, weights);
        }
        return result;
    }
}
