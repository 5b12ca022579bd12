using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// The images of one folder (not its subfolders) played as frames in ordinal file-name order at
/// <see cref="CaptureOptions.ImageFolderFps"/>. Files are recognised by their first bytes (any format registered with
/// <see cref="ImageDecoders"/>); files that fail to decode are skipped and reported in <see cref="Warning"/>.
/// </summary>
internal sealed class ImageFolderSource : IFrameSource
{
    private readonly string[] _files;
    private int _next;
    private int _skipped;

    private ImageFolderSource(string[] files, double fps) => (_files, NominalFps) = (files, fps);

    public double NominalFps { get; }

    public string? Warning { get; private set; }

    /// <summary>The image files in play order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <exception cref="SourceUnavailableException">The folder holds no file of a readable image format.</exception>
    public static ImageFolderSource Open(SourceSpec spec, CaptureOptions options)
    {
        if (spec.Kind != SourceKind.ImageFolder) throw new ArgumentException($"{spec} is not an image folder.", nameof(spec));
        if (!Directory.Exists(spec.Location)) throw new SourceUnavailableException($"Image folder {spec.Location} does not exist.");
        string[] files = [.. Directory.EnumerateFiles(spec.Location).Where(LooksLikeImage).Order(StringComparer.Ordinal)];
        if (files.Length == 0)
            throw new SourceUnavailableException($"Image folder {spec.Location} holds no readable images ({string.Join(", ", ImageDecoders.Registered.Select(d => d.FormatName))}).");
        return new ImageFolderSource(files, options.ImageFolderFps > 0 ? options.ImageFolderFps : 10);
    }

    public CapturedFrame? Read(FramePool pool, long sequence, System.Diagnostics.Stopwatch clock)
    {
        while (_next < _files.Length)
        {
            int index = _next++;
            DecodedImage image;
            try
            {
                image = ImageDecoders.Load(_files[index]);
            }
            catch (IOException e)
            {
                _skipped++;
                Warning = $"skipped {_skipped} unreadable image(s); last: {e.Message}";
                continue;
            }
            CapturedFrame frame = pool.Rent(image.Width, image.Height, sequence, index, TimeSpan.FromSeconds(index / NominalFps));
            RgbaToBgr(image.Pixels.Span, frame.Pixels.Span);
            return frame;
        }
        return null;
    }

    // RGBA8 (4 bytes) -> BGR8 (3 bytes), alpha dropped.
    private static void RgbaToBgr(ReadOnlySpan<byte> rgba, Span<byte> bgr)
    {
        for (int source = 0, target = 0; target < bgr.Length; source += 4, target += 3)
        {
            bgr[target] = rgba[source + 2];
            bgr[target + 1] = rgba[source + 1];
            bgr[target + 2] = rgba[source];
        }
    }

    private static bool LooksLikeImage(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> header = stackalloc byte[ImageDecoders.SniffLength];
            int length = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return length > 0 && ImageDecoders.Find(header[..length]) is not null;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
    }
}
