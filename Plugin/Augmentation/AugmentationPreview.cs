using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Augmentation;

/// <summary>
/// Renders what an augmentation pipeline does to one picture as a grid (the <c>augment-preview</c> command): the
/// first tile is the input, the others are the augmented copies of one batch (image n of the batch gets the draws of
/// stream (seed, step, stage, n)). The picture is any image file <see cref="ImageDecoders"/> reads (PNG, BMP) or,
/// without one, a built-in test pattern whose asymmetric shapes make flips, rotations and warps easy to read.
/// </summary>
public static class AugmentationPreview
{
    /// <summary>Names <see cref="RenderPreset"/> accepts: default, strong, composite.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["default", "strong", "composite"];

    /// <summary>Largest side the source is shrunk to before it is replicated into the batch.</summary>
    public const int MaxSourceSide = 512;

    private const int Gap = 6, Margin = 8, Header = 24;

    /// <summary>
    /// Renders <paramref name="count"/> samples of a named pipeline (<see cref="AugmentationPipeline.Default"/>,
    /// <see cref="AugmentationPipeline.Strong"/> or <see cref="AugmentationPipeline.Composite"/> onto random solid
    /// colours, gradients and two synthetic textures) applied to an image file or the test pattern.
    /// </summary>
    /// <param name="context">The GPU context (call on its thread).</param>
    /// <param name="preset">One of <see cref="PresetNames"/>.</param>
    /// <param name="imagePath">An image file (PNG, BMP; its alpha, if any, is the cut-out for compositing), or null for the test pattern.</param>
    /// <param name="seed">Pipeline seed.</param>
    /// <param name="count">Augmented samples, 1..256.</param>
    /// <param name="size">Tile height and width, 16..1024.</param>
    /// <param name="step">Pipeline step whose draws are shown.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown preset or out-of-range count/size (named with the value).</exception>
    /// <exception cref="ImageFormatException">The file is not an image the registered decoders read.</exception>
    public static RgbImage RenderPreset(GpuContext context, string preset, string? imagePath, int seed = 0, int count = 16, int size = 160, long step = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(preset);
        if (!PresetNames.Contains(preset))
            throw new ArgumentOutOfRangeException(nameof(preset), preset, $"preset must be one of {string.Join(", ", PresetNames)}; got '{preset}'.");
        OptionChecks.InRange(count, 1, 256, nameof(count));
        OptionChecks.InRange(size, 16, 1024, nameof(size));
        DecodedImage picture = imagePath is null ? TestPattern(256) : ImageDecoders.Load(imagePath);
        using Tensor textures = BackgroundTextures(context, 192);
        AugmentationPipeline pipeline = preset switch
        {
            "default" => AugmentationPipeline.Default(size, seed),
            "strong" => AugmentationPipeline.Strong(size, seed),
            _ => AugmentationPipeline.Composite(size, new BackgroundSource(images: textures), seed),
        };
        string source = imagePath is null ? "test pattern" : Path.GetFileName(imagePath);
        return Render(context, pipeline, picture, count, step, $"{preset} pipeline, seed {seed}, step {step}: {source}");
    }

    /// <summary>The grid for any pipeline: RGBA input when the pipeline composites onto backgrounds, RGB otherwise.</summary>
    internal static RgbImage Render(GpuContext context, AugmentationPipeline pipeline, DecodedImage picture, int count, long step, string caption)
    {
        bool rgba = pipeline.Transforms.Any(t => t is BackgroundCompositeTransform);
        using Tensor source = Shrunk(context, Upload(context, picture, rgba ? 4 : 3));
        TensorShape one = source.Shape;
        using var batch = new Tensor(context, count, one.C, one.H, one.W);
        for (int n = 0; n < count; n++) batch.Buffer.CopyFrom(source.Buffer, one.ElementCount, 0, (long)n * one.ElementCount);
        TensorShape outShape = pipeline.OutputShape(batch.Shape);
        using var output = new Tensor(context, outShape);
        pipeline.Apply(batch, output, step);

        // The input tile: the whole picture fitted into a tile (uniform scale, centred, dark grey around it).
        int tileH = outShape.H, tileW = outShape.W;
        using var inputTile = new Tensor(context, 1, one.C, tileH, tileW);
        double scale = Math.Max((double)one.W / tileW, (double)one.H / tileH);
        var fit = AffineMatrix.Translation(one.W / 2.0, one.H / 2.0) * AffineMatrix.Scaling(scale, scale) * AffineMatrix.Translation(-tileW / 2.0, -tileH / 2.0);
        AffineWarp.Apply(source, inputTile, [fit], new Border(BorderMode.Constant, 0.15f));

        int tiles = count + 1, columns = (int)Math.Ceiling(Math.Sqrt(tiles)), rows = (tiles + columns - 1) / columns;
        int width = Math.Max(2 * Margin + columns * tileW + (columns - 1) * Gap, 2 * Margin + BitmapFont.MeasureWidth(caption));
        int height = Header + Margin + rows * tileH + (rows - 1) * Gap;
        var grid = new RgbImage(width, height, new RgbColor(32, 32, 36));
        grid.DrawText(caption, Margin, 8, RgbColor.White);
        float[] inputValues = inputTile.ToArray(), outputValues = output.ToArray();
        for (int t = 0; t < tiles; t++)
        {
            int x = Margin + t % columns * (tileW + Gap), y = Header + t / columns * (tileH + Gap);
            if (t == 0) DrawTile(grid, x, y, inputValues, 0, one.C, tileH, tileW);
            else DrawTile(grid, x, y, outputValues, t - 1, outShape.C, tileH, tileW);
            string label = t == 0 ? "input" : t.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grid.FillRectangle(x, y, BitmapFont.MeasureWidth(label) + 4, BitmapFont.GlyphHeight + 3, RgbColor.Black);
            grid.DrawText(label, x + 2, y + 2, RgbColor.White);
        }
        return grid;
    }

    /// <summary>
    /// A 256-style test picture of <paramref name="size"/> pixels: a sky-to-grass gradient, a checkerboard (top
    /// left), a sun (top right), and an opaque badge — a disc with an "F", "VP" and an arrow — whose alpha is 1 inside
    /// the disc and 0 outside (the cut-out for compositing). Nothing in it is symmetric.
    /// </summary>
    internal static DecodedImage TestPattern(int size)
    {
        var image = new RgbImage(size, size, RgbColor.Black);
        for (int y = 0; y < size; y++)
        {
            double t = (double)y / (size - 1);
            var color = new RgbColor((byte)(90 + 40 * t), (byte)(160 + 30 * t), (byte)(235 - 175 * t));
            image.FillRectangle(0, y, size, 1, color);
        }
        int cell = size / 16;
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 4; i++)
                image.FillRectangle(cell / 2 + i * cell, cell / 2 + j * cell, cell, cell, (i + j) % 2 == 0 ? RgbColor.White : new RgbColor(20, 20, 20));
        Disc(image, size * 0.84, size * 0.14, size * 0.08, new RgbColor(255, 215, 40));
        double cx = size * 0.5, cy = size * 0.56, radius = size * 0.36;
        Disc(image, cx, cy, radius, new RgbColor(245, 120, 40));
        int glyph = Math.Max(1, size / 32);
        image.DrawText("F", (int)(cx - radius * 0.78), (int)(cy - radius * 0.6), new RgbColor(20, 40, 140), glyph * 2);
        image.DrawText("VP", (int)(cx + radius * 0.08), (int)(cy - radius * 0.5), RgbColor.White, Math.Max(1, glyph * 3 / 4));
        image.DrawLine(cx - radius * 0.05, cy + radius * 0.65, cx + radius * 0.6, cy + radius * 0.1, new RgbColor(30, 120, 40), Math.Max(1, size / 40.0));
        Disc(image, cx + radius * 0.6, cy + radius * 0.1, size / 40.0, new RgbColor(30, 120, 40));

        var rgba = new byte[size * size * 4];
        ReadOnlySpan<byte> rgb = image.Pixels;
        for (int p = 0; p < size * size; p++)
        {
            double x = p % size + 0.5, y = p / size + 0.5;
            double coverage = Math.Clamp(radius + 0.5 - Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)), 0, 1);
            rgba[4 * p] = rgb[3 * p]; rgba[4 * p + 1] = rgb[3 * p + 1]; rgba[4 * p + 2] = rgb[3 * p + 2];
            rgba[4 * p + 3] = (byte)Math.Round(255 * coverage);
        }
        return new DecodedImage(size, size, rgba, hasAlpha: true, "test pattern");
    }

    // An anti-aliased disc of any radius (coverage clamp(r + 0.5 - d, 0, 1), centres at x + 0.5), for the pattern.
    private static void Disc(RgbImage image, double cx, double cy, double radius, RgbColor color)
    {
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                image.BlendPixel(x, y, color, radius + 0.5 - Math.Sqrt((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy)));
    }

    /// <summary>Two synthetic background images [2,3,size,size] in [0,1]: diagonal wood-like stripes and a coloured checkerboard.</summary>
    internal static Tensor BackgroundTextures(GpuContext context, int size)
    {
        var values = new float[2 * 3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int p = y * size + x;
                double stripe = 0.5 + 0.5 * Math.Sin((x + 0.6 * y) * 0.25 + 2 * Math.Sin(y * 0.05));
                values[p] = (float)(0.45 + 0.35 * stripe);
                values[plane + p] = (float)(0.28 + 0.22 * stripe);
                values[2 * plane + p] = (float)(0.12 + 0.1 * stripe);
                bool dark = (x / 24 + y / 24) % 2 == 0;
                values[3 * plane + p] = dark ? 0.2f : 0.85f;
                values[4 * plane + p] = dark ? 0.35f : 0.8f;
                values[5 * plane + p] = dark ? 0.6f : 0.3f;
            }
        return Tensor.FromData(context, new TensorShape(2, 3, size, size), values);
    }

    /// <summary>The picture as [1, channels, H, W] floats in [0,1] (channels 3: RGB; 4: RGB + alpha).</summary>
    private static Tensor Upload(GpuContext context, DecodedImage picture, int channels)
    {
        int plane = picture.Width * picture.Height;
        ReadOnlySpan<byte> rgba = picture.Pixels.Span;
        var values = new float[channels * plane];
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < channels; c++)
                values[c * plane + p] = rgba[4 * p + c] / 255f;
        return Tensor.FromData(context, new TensorShape(1, channels, picture.Height, picture.Width), values);
    }

    /// <summary>The source itself, or (when a side exceeds <see cref="MaxSourceSide"/>) an area-averaged smaller copy; disposes what it replaces.</summary>
    private static Tensor Shrunk(GpuContext context, Tensor source)
    {
        TensorShape s = source.Shape;
        double factor = Math.Max(s.H, s.W) / (double)MaxSourceSide;
        if (factor <= 1) return source;
        int h = Math.Max(1, (int)Math.Round(s.H / factor)), w = Math.Max(1, (int)Math.Round(s.W / factor));
        var smaller = new Tensor(context, 1, s.C, h, w);
        AffineWarp.Apply(source, smaller, [AffineMatrix.Scaling((double)s.W / w, (double)s.H / h)], Border.Edge);
        source.Dispose();
        return smaller;
    }

    /// <summary>Copies image n of an NCHW array into the grid; 4-channel images are shown over a light checkerboard.</summary>
    private static void DrawTile(RgbImage grid, int left, int top, float[] values, int n, int channels, int height, int width)
    {
        int plane = height * width, basis = n * channels * plane;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = basis + y * width + x;
                float alpha = channels == 4 ? Math.Clamp(values[p + 3 * plane], 0f, 1f) : 1f;
                float under = ((x / 8 + y / 8) % 2 == 0) ? 0.8f : 0.6f;
                byte Channel(int c) => (byte)Math.Round(255 * Math.Clamp(alpha * values[p + c * plane] + (1 - alpha) * under, 0f, 1f));
                grid[left + x, top + y] = new RgbColor(Channel(0), Channel(1), Channel(2));
            }
    }
}
