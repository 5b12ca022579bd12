namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Resamples a fractional <see cref="CropWindow"/> of an RGB8 image to a BGR8 frame. Where the window is larger
/// than the frame (the usual case) each output pixel is the area average of the source region it covers (OpenCV's
/// INTER_AREA, partial pixels weighted by coverage); where it is smaller, bilinear interpolation. Separable: a
/// horizontal pass over the source rows the window touches, then a vertical pass. Reuses its buffers: one
/// instance per thread.
/// </summary>
public sealed class CropResampler
{
    private float[] _rows = [];
    private float[] _accumulator = [];

    /// <summary>Writes <paramref name="window"/> of <paramref name="rgb"/> into <paramref name="bgr"/>.</summary>
    /// <param name="rgb">Source pixels, <paramref name="sourceWidth"/> * <paramref name="sourceHeight"/> * 3 bytes, RGB8, top row first.</param>
    /// <param name="sourceWidth">Source columns.</param>
    /// <param name="sourceHeight">Source rows.</param>
    /// <param name="window">The region to show; an output pixel whose area reaches past the image averages only the part inside it.</param>
    /// <param name="bgr">Output, <paramref name="outputWidth"/> * <paramref name="outputHeight"/> * 3 bytes, BGR8.</param>
    /// <param name="outputWidth">Output columns.</param>
    /// <param name="outputHeight">Output rows.</param>
    /// <exception cref="ArgumentException">A buffer's length does not match its size, or the window is empty.</exception>
    public void Resample(ReadOnlySpan<byte> rgb, int sourceWidth, int sourceHeight, CropWindow window,
        Span<byte> bgr, int outputWidth, int outputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputHeight, 1);
        if (rgb.Length != sourceWidth * sourceHeight * 3)
            throw new ArgumentException($"A {sourceWidth}x{sourceHeight} RGB8 image has {sourceWidth * sourceHeight * 3} bytes; got {rgb.Length}.", nameof(rgb));
        if (bgr.Length != outputWidth * outputHeight * 3)
            throw new ArgumentException($"A {outputWidth}x{outputHeight} BGR8 frame has {outputWidth * outputHeight * 3} bytes; got {bgr.Length}.", nameof(bgr));
        if (!(window.Width > 0 && window.Height > 0)) throw new ArgumentException($"Crop window {window} is empty.", nameof(window));

        Tap[] columns = Footprints(window.X, window.Width, sourceWidth, outputWidth);
        Tap[] rows = Footprints(window.Y, window.Height, sourceHeight, outputHeight);
        int firstRow = rows[0].First, lastRow = rows[^1].First + rows[^1].Weights.Length - 1;
        int rowLength = outputWidth * 3, rowCount = lastRow - firstRow + 1;
        if (_rows.Length < rowCount * rowLength) _rows = new float[rowCount * rowLength];

        // Horizontal: every touched source row -> outputWidth RGB floats.
        for (int y = firstRow; y <= lastRow; y++)
        {
            ReadOnlySpan<byte> source = rgb.Slice(y * sourceWidth * 3, sourceWidth * 3);
            Span<float> target = _rows.AsSpan((y - firstRow) * rowLength, rowLength);
            for (int x = 0; x < outputWidth; x++)
            {
                (int first, float[] weights) = columns[x];
                float r = 0, g = 0, b = 0;
                for (int k = 0, s = first * 3; k < weights.Length; k++, s += 3)
                {
                    float w = weights[k];
                    r += w * source[s];
                    g += w * source[s + 1];
                    b += w * source[s + 2];
                }
                target[3 * x] = r;
                target[3 * x + 1] = g;
                target[3 * x + 2] = b;
            }
        }

        // Vertical: weighted sum of the horizontal rows; RGB -> BGR on the way out.
        if (_accumulator.Length != rowLength) _accumulator = new float[rowLength];
        float[] accumulator = _accumulator;
        for (int y = 0; y < outputHeight; y++)
        {
            Array.Clear(accumulator);
            (int first, float[] weights) = rows[y];
            for (int k = 0; k < weights.Length; k++)
            {
                ReadOnlySpan<float> row = _rows.AsSpan((first + k - firstRow) * rowLength, rowLength);
                float w = weights[k];
                for (int i = 0; i < rowLength; i++) accumulator[i] += w * row[i];
            }
            Span<byte> output = bgr.Slice(y * rowLength, rowLength);
            for (int i = 0; i < rowLength; i += 3)
            {
                output[i] = ToByte(accumulator[i + 2]);
                output[i + 1] = ToByte(accumulator[i + 1]);
                output[i + 2] = ToByte(accumulator[i]);
            }
        }
    }

    /// <summary>The source pixels one output pixel reads: the first index and one weight per pixel (weights sum to 1).</summary>
    internal readonly record struct Tap(int First, float[] Weights);

    /// <summary>
    /// For output cells d = 0..outputLength-1 over the source interval [start, start + length): cell d covers
    /// [start + d s, start + (d + 1) s) with s = length / outputLength. s >= 1: area weights (overlap of each source
    /// pixel with the cell, clipped to the image, normalised). s &lt; 1: bilinear taps at the cell centre
    /// start + (d + 1/2) s - 1/2 in pixel-centre coordinates, clamped to the image.
    /// </summary>
    internal static Tap[] Footprints(double start, double length, int sourceLength, int outputLength)
    {
        double scale = length / outputLength;
        var taps = new Tap[outputLength];
        for (int d = 0; d < outputLength; d++)
        {
            if (scale >= 1)
            {
                double from = Math.Clamp(start + d * scale, 0, sourceLength), to = Math.Clamp(start + (d + 1) * scale, 0, sourceLength);
                int first = Math.Min((int)Math.Floor(from), sourceLength - 1);
                int last = Math.Max(first, Math.Min(sourceLength - 1, (int)Math.Ceiling(to) - 1));
                var weights = new float[last - first + 1];
                double total = 0;
                for (int k = first; k <= last; k++) total += weights[k - first] = (float)Math.Max(0, Math.Min(k + 1, to) - Math.Max(k, from));
                if (total <= 0) weights[0] = 1; // a window entirely past an edge: repeat the edge pixel
                else for (int k = 0; k < weights.Length; k++) weights[k] = (float)(weights[k] / total);
                taps[d] = new Tap(first, weights);
            }
            else
            {
                double centre = Math.Clamp(start + (d + 0.5) * scale - 0.5, 0, sourceLength - 1);
                int left = Math.Min((int)Math.Floor(centre), Math.Max(0, sourceLength - 2));
                float right = (float)(centre - left);
                taps[d] = sourceLength == 1 ? new Tap(0, [1f]) : new Tap(left, [1 - right, right]);
            }
        }
        return taps;
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
