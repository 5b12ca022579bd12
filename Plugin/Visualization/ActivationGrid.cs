namespace VisionPlugin.Visualization;

/// <summary>
/// The picture of one layer's activations for one image: a grid of feature maps, each min-max normalized on its
/// own to grey (black = the map's lowest value, white = its highest; an all-zero map is black) and upscaled by
/// nearest neighbour so that small maps stay visible, with one-pixel separators.
/// </summary>
public static class ActivationGrid
{
    /// <summary>Default number of channels drawn (the first ones).</summary>
    public const int DefaultMaxChannels = 64;

    /// <summary>Smallest tile side in pixels <see cref="ScaleFor"/> aims for.</summary>
    public const int MinimumTileSide = 48;

    /// <summary>The nearest-neighbour factor that makes an <paramref name="height"/> x <paramref name="width"/> map at least <see cref="MinimumTileSide"/> pixels on its longer side.</summary>
    public static int ScaleFor(int height, int width) => Math.Max(1, (MinimumTileSide + Math.Max(height, width) - 1) / Math.Max(height, width));

    /// <summary>Draws the first <paramref name="maxChannels"/> maps of <paramref name="maps"/> [C, H, W].</summary>
    /// <param name="maps">C*H*W values, map by map (one sample of an NCHW tensor).</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="maxChannels">How many maps to draw at most (1 or more).</param>
    /// <param name="scale">Nearest-neighbour factor (1 or more); null for <see cref="ScaleFor"/>.</param>
    /// <returns>An image of <c>columns * (W*scale + 1) + 1</c> by <c>rows * (H*scale + 1) + 1</c> pixels for min(C, maxChannels) tiles, columns = ceil(sqrt(tiles)).</returns>
    /// <exception cref="ArgumentException">The sizes do not match the value count.</exception>
    public static RgbImage Render(ReadOnlySpan<float> maps, int channels, int height, int width, int maxChannels = DefaultMaxChannels, int? scale = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChannels, 1);
        if ((long)channels * height * width != maps.Length)
            throw new ArgumentException($"{channels}x{height}x{width} maps need {(long)channels * height * width} values; got {maps.Length}.", nameof(maps));
        int factor = scale ?? ScaleFor(height, width);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1, nameof(scale));
        int shown = Math.Min(channels, maxChannels), plane = height * width;
        var grid = new TileGrid(shown, width * factor, height * factor);
        RgbImage image = grid.CreateImage();
        for (int c = 0; c < shown; c++)
        {
            ReadOnlySpan<float> map = maps.Slice(c * plane, plane);
            var (min, max) = TensorPixels.Range(map);
            Func<float, byte> level = TensorPixels.MinMax(min, max);
            var (x0, y0) = grid.Origin(c);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    byte grey = level(map[y * width + x]);
                    image.FillRectangle(x0 + x * factor, y0 + y * factor, factor, factor, new RgbColor(grey, grey, grey));
                }
        }
        return image;
    }
}
