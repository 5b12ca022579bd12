using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Imaging;

/// <summary>
/// A labelled image set read from a folder with one subfolder per class (the layout of torchvision's
/// <c>ImageFolder</c> and Keras' <c>image_dataset_from_directory</c>):
/// <code>
/// root/bird/robin.png
/// root/bird/more/owl.png      (files may sit in nested folders)
/// root/fish/cod.bmp
/// </code>
/// Class names are the subfolder names sorted ordinally; a sample's label is its class's index. Every
/// file is tried with <see cref="ImageDecoders"/> (format chosen by content, not extension); a damaged,
/// empty, unreadable or non-image file goes to <see cref="Skipped"/> with the reason and never stops the
/// load. Hidden files and folders (names starting with '.') and files directly in the root are ignored.
/// Files are decoded one at a time, shrunk (<see cref="ImageFolderOptions.MaxSide"/>) and flattened
/// (<see cref="ImageFolderOptions.Alpha"/>) before the next is read, so peak memory is the kept
/// samples plus one full-size image.
/// </summary>
public sealed class ImageFolderDataset
{
    private readonly int[] _countPerClass;

    private ImageFolderDataset(string folder, string[] classNames, ImageSample[] samples, SkippedFile[] skipped, ImageFolderOptions options)
    {
        Folder = folder;
        ClassNames = classNames;
        Samples = samples;
        Skipped = skipped;
        Options = options;
        _countPerClass = new int[classNames.Length];
        foreach (ImageSample sample in samples) _countPerClass[sample.Label]++;
    }

    /// <summary>The root folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>Class names (the subfolder names) in ordinal order; index = label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The loaded images, class by class, each class's files in ordinal path order.</summary>
    public IReadOnlyList<ImageSample> Samples { get; }

    /// <summary>Files that could not be used, with the reason, in the order met.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>The options the set was loaded with.</summary>
    public ImageFolderOptions Options { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Samples.Count;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Samples per class, indexed by label.</summary>
    public IReadOnlyList<int> CountPerClass => _countPerClass;

    /// <summary>Scans <paramref name="folder"/> and loads every image it can.</summary>
    /// <param name="folder">The root, holding one subfolder per class.</param>
    /// <param name="options">Resizing, alpha and limit settings; null for <see cref="ImageFolderOptions.Default"/>.</param>
    /// <returns>The samples, class names and skipped files.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder has no class subfolders or only one, or a class has no readable image.
    /// </exception>
    public static ImageFolderDataset Load(string folder, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= ImageFolderOptions.Default;
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException(File.Exists(root)
                ? $"Image folder '{folder}' is a file; expected a folder with one subfolder per class."
                : $"Image folder '{folder}' does not exist.");

        string[] classFolders = [.. Directory.GetDirectories(root)
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal)];
        if (classFolders.Length == 0)
            throw new InvalidDataException(
                $"Image folder '{folder}' has no class subfolders: put each class's images in a subfolder named after the class (e.g. {Path.Combine(folder, "cat", "1.png")}).");
        if (classFolders.Length == 1)
            throw new InvalidDataException(
                $"Image folder '{folder}' has only one class subfolder ('{Path.GetFileName(classFolders[0])}'); a classifier needs at least two classes.");

        string[] classNames = [.. classFolders.Select(Path.GetFileName).Select(name => name!)];
        var samples = new List<ImageSample>();
        var skipped = new List<SkippedFile>();
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        for (int label = 0; label < classFolders.Length; label++)
        {
            int before = samples.Count, skippedBefore = skipped.Count;
            foreach (string file in Directory.EnumerateFiles(classFolders[label], "*", enumeration).Order(StringComparer.Ordinal))
            {
                if (Path.GetRelativePath(classFolders[label], file).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                    continue;
                if (TryLoad(file, label, options, out ImageSample? sample, out string? reason)) samples.Add(sample!);
                else skipped.Add(new SkippedFile(file, reason!));
            }
            if (samples.Count == before)
            {
                int count = skipped.Count - skippedBefore;
                string first = count > 0 ? $" First: {Path.GetFileName(skipped[skippedBefore].Path)}: {skipped[skippedBefore].Reason}." : "";
                throw new InvalidDataException(
                    $"Image folder '{folder}': class '{classNames[label]}' has no readable images ({count} skipped).{first}");
            }
        }
        return new ImageFolderDataset(root, classNames, [.. samples], [.. skipped], options);
    }

    private static bool TryLoad(string file, int label, ImageFolderOptions options, out ImageSample? sample, out string? reason)
    {
        sample = null;
        reason = null;
        DecodedImage image;
        try
        {
            image = ImageDecoders.Load(file, options.Limits);
        }
        catch (ImageFormatException e)
        {
            reason = e.Reason;
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot be read: {e.Message}";
            return false;
        }
        if (options.MaxSide is int maxSide) image = AreaResampler.FitWithin(image, maxSide);
        sample = options.Alpha == AlphaHandling.KeepRgba
            ? new ImageSample(file, label, image.Width, image.Height, PixelFormat.Rgba32, image.Pixels, image.HasAlpha)
            : new ImageSample(file, label, image.Width, image.Height, PixelFormat.Rgb24, AlphaCompositing.ToRgb(image, options.Background), image.HasAlpha);
        return true;
    }
}
