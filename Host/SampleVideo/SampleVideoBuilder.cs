using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Renders a <see cref="SampleVideoRecipe"/> into frames: for each segment, <see cref="SampleVideoRecipe.FramesPerSegment"/>
/// frames of a seeded <see cref="KenBurnsPath"/> over the segment's image, resampled by <see cref="CropResampler"/>,
/// with clean cuts between segments (no cross-fades, so every frame has one unambiguous label). Deterministic: the
/// same recipe (same source bytes) gives the same frame bytes.
/// </summary>
public static class SampleVideoBuilder
{
    /// <summary>Sources are first shrunk (area averaging) so the unzoomed window is at most this many output widths wide.</summary>
    internal const double PreShrinkFactor = 1.5;

    /// <summary>Transparent source pixels are shown over this grey.</summary>
    private static readonly RgbColor Background = new(128, 128, 128);

    /// <summary>Builds the video into <paramref name="sink"/> and returns its manifest.</summary>
    /// <param name="recipe">What to build (validated).</param>
    /// <param name="sink">Receives Begin, every frame, Complete.</param>
    /// <param name="videoName">The video's file name for <see cref="SampleVideoManifest.Video"/>.</param>
    /// <param name="recipeHash">Recorded in the manifest; null computes <see cref="SampleVideoRecipe.ComputeHash"/>.</param>
    /// <param name="log">Gets one line per segment; null for none.</param>
    /// <exception cref="FileNotFoundException">A source image is missing (the message names its Debian package).</exception>
    /// <exception cref="ImageFormatException">A source cannot be decoded (for JPEG sources: no JPEG decoder registered).</exception>
    public static SampleVideoManifest Build(SampleVideoRecipe recipe, ISampleVideoSink sink, string videoName, string? recipeHash = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentException.ThrowIfNullOrWhiteSpace(videoName);
        recipe.Validate();
        recipeHash ??= recipe.ComputeHash();
        foreach (SampleVideoSegmentSource source in recipe.Segments) SampleVideoRecipe.RequireSource(source);

        int width = recipe.Width, height = recipe.Height, perSegment = recipe.FramesPerSegment;
        var frame = new byte[width * height * 3];
        var resampler = new CropResampler();
        var segments = new List<SampleVideoSegment>();
        sink.Begin(width, height, recipe.Fps);
        for (int index = 0; index < recipe.Segments.Count; index++)
        {
            SampleVideoSegmentSource source = recipe.Segments[index];
            (byte[] rgb, int sourceWidth, int sourceHeight) = LoadSource(source, recipe);
            var path = new KenBurnsPath(sourceWidth, sourceHeight, (double)width / height, source.FocusX, source.FocusY,
                recipe.MinZoom, recipe.MaxZoom, recipe.PanFraction, new Random(SegmentSeed(recipe.Seed, index)));
            for (int i = 0; i < perSegment; i++)
            {
                resampler.Resample(rgb, sourceWidth, sourceHeight, path.At(i, perSegment), frame, width, height);
                sink.Write(frame);
            }
            int first = index * perSegment;
            segments.Add(new SampleVideoSegment(source.Label, first, first + perSegment - 1, source.SourcePath, source.Package, source.Licence, source.Credit));
            log?.WriteLine($"sample video: segment {index + 1}/{recipe.Segments.Count} '{source.Label}' " +
                           $"({Path.GetFileName(source.SourcePath)}, zoom {(path.ZoomsIn ? "in" : "out")}), frames {first}..{first + perSegment - 1}");
        }
        sink.Complete();
        return new SampleVideoManifest
        {
            RecipeHash = recipeHash, Video = videoName, Width = width, Height = height, Fps = recipe.Fps,
            FrameCount = perSegment * recipe.Segments.Count, CaptureFraction = recipe.CaptureFraction, Segments = segments,
        };
    }

    /// <summary>The seed of segment <paramref name="index"/>'s camera path (independent of the other segments).</summary>
    internal static int SegmentSeed(int seed, int index) => unchecked(seed * 1_000_003 + index * 7919 + 17);

    // Decodes, shrinks so the unzoomed window is at most PreShrinkFactor * MaxZoom output widths (the resampler then
    // reads ~PreShrinkFactor^2 source pixels per output pixel at most), and flattens alpha onto grey: RGB8.
    private static (byte[] Rgb, int Width, int Height) LoadSource(SampleVideoSegmentSource source, SampleVideoRecipe recipe)
    {
        DecodedImage image;
        try
        {
            image = ImageDecoders.Load(source.SourcePath);
        }
        catch (ImageFormatException e) when (e.Format is null)
        {
            throw new ImageFormatException(source.SourcePath, null,
                $"{e.Reason} (segment '{source.Label}'; JPEG sources need the host's OpenCV decoder registered: OpenCvImageDecoder.Register())", e);
        }
        double aspect = (double)recipe.Width / recipe.Height;
        double baseWidth = Math.Min(image.Width, image.Height * aspect);
        double scale = PreShrinkFactor * recipe.MaxZoom * recipe.Width / baseWidth;
        if (scale < 1)
        {
            int shrunkWidth = Math.Max(1, (int)Math.Round(image.Width * scale)), shrunkHeight = Math.Max(1, (int)Math.Round(image.Height * scale));
            image = AreaResampler.Downscale(image, shrunkWidth, shrunkHeight);
        }
        return (AlphaCompositing.ToRgb(image, Background), image.Width, image.Height);
    }
}
