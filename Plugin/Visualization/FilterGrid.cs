using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Visualization;

/// <summary>
/// The picture of a convolution's filters (as in Zeiler and Fergus, "Visualizing and Understanding Convolutional
/// Networks"): one tile per output channel, each kernel upscaled by nearest neighbour and min-max normalized on
/// its own, shown in color when it reads three channels (red, green, blue) and in grey otherwise (mean over the
/// input channels). Tiles sit in a near-square grid with one-pixel separators.
/// </summary>
public static class FilterGrid
{
    /// <summary>Smallest tile side in pixels <see cref="ScaleFor"/> aims for.</summary>
    public const int MinimumTileSide = 48;

    /// <summary>The nearest-neighbour factor that makes a <paramref name="kernelH"/> x <paramref name="kernelW"/> kernel at least <see cref="MinimumTileSide"/> pixels on its longer side.</summary>
    public static int ScaleFor(int kernelH, int kernelW) => Math.Max(1, (MinimumTileSide + Math.Max(kernelH, kernelW) - 1) / Math.Max(kernelH, kernelW));

    /// <summary>
    /// The first convolution of <paramref name="model"/> in node order (<see cref="Conv2dLayer"/> or
    /// <see cref="ConvTranspose2dLayer"/>) with its weights as a filter bank: values laid out [K, C, KH, KW], one filter
    /// per output channel K over C input channels; null when the model has no convolution.
    /// </summary>
    /// <param name="model">The network; its weights are read back from the GPU.</param>
    public static (Layer Layer, TensorShape Shape, float[] Weights)? FirstConvolution(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        for (int id = model.InputCount; id < model.NodeCount; id++)
        {
            switch (model.NodeAt(id).Layer)
            {
                case Conv2dLayer conv:
                    return (conv, conv.Weight.Shape, conv.Weight.Value.ToArray());
                case ConvTranspose2dLayer transposed:
                    // Stored [C_in, K/groups, KH, KW]: swap the first two axes so each tile is one output channel.
                    TensorShape s = transposed.Weight.Shape;
                    float[] stored = transposed.Weight.Value.ToArray(), swapped = new float[stored.Length];
                    int plane = s[2] * s[3];
                    for (int c = 0; c < s[0]; c++)
                        for (int k = 0; k < s[1]; k++)
                            stored.AsSpan((c * s[1] + k) * plane, plane).CopyTo(swapped.AsSpan((k * s[0] + c) * plane, plane));
                    return (transposed, new TensorShape(s[1], s[0], s[2], s[3]), swapped);
            }
        }
        return null;
    }

    /// <summary>Draws the filter bank <paramref name="weights"/> [K, C, KH, KW] as a grid of K tiles.</summary>
    /// <param name="weights">K*C*KH*KW values, filter by filter.</param>
    /// <param name="shape">[K, C, KH, KW].</param>
    /// <param name="scale">Nearest-neighbour factor per kernel pixel (1 or more); null for <see cref="ScaleFor"/>.</param>
    /// <returns>An image of <c>columns * (KW*scale + 1) + 1</c> by <c>rows * (KH*scale + 1) + 1</c> pixels, columns = ceil(sqrt(K)).</returns>
    /// <exception cref="ArgumentException">The shape is not rank 4 or does not match the value count.</exception>
    public static RgbImage Render(ReadOnlySpan<float> weights, TensorShape shape, int? scale = null)
    {
        if (shape.Rank != 4 || shape.ElementCount != weights.Length)
            throw new ArgumentException($"Filters must be [K,C,KH,KW] with matching values; got {shape} and {weights.Length} values.", nameof(shape));
        int k = shape[0], c = shape[1], kh = shape[2], kw = shape[3];
        int factor = scale ?? ScaleFor(kh, kw);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1, nameof(scale));
        var grid = new TileGrid(k, kw * factor, kh * factor);
        RgbImage image = grid.CreateImage();
        int plane = kh * kw, size = c * plane;
        for (int f = 0; f < k; f++)
        {
            // Color tiles stretch all three channels together (keeping hue); grey tiles stretch the channel mean.
            ReadOnlySpan<float> filter = c == 3 ? weights.Slice(f * size, size) : ChannelMean(weights.Slice(f * size, size), c);
            var (min, max) = TensorPixels.Range(filter);
            Func<float, byte> level = TensorPixels.MinMax(min, max);
            var (x0, y0) = grid.Origin(f);
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                {
                    int at = y * kw + x;
                    RgbColor color = c == 3
                        ? new RgbColor(level(filter[at]), level(filter[plane + at]), level(filter[2 * plane + at]))
                        : new RgbColor(level(filter[at]), level(filter[at]), level(filter[at]));
                    image.FillRectangle(x0 + x * factor, y0 + y * factor, factor, factor, color);
                }
        }
        return image;
    }

    private static float[] ChannelMean(ReadOnlySpan<float> filter, int channels)
    {
        int plane = filter.Length / channels;
        var mean = new float[plane];
        for (int ch = 0; ch < channels; ch++)
            for (int i = 0; i < plane; i++) mean[i] += filter[ch * plane + i] / channels;
        return mean;
    }
}
