using VisionPlugin.Engine.Imaging;
using VisionPlugin.Imaging;
using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Imaging;

/// <summary>ImageFolderDataset: class discovery, skipping bad files with reasons, resizing, alpha handling, and refusals.</summary>
public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("visionplugin-imagefolder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Put(string relative, byte[] bytes)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Png(int width, int height, byte value, byte alpha = 255) =>
        PngWriter.Encode([.. Enumerable.Range(0, width * height).SelectMany(_ => new[] { value, value, value, alpha })], width, height, PngPixelFormat.Rgba8);

    /// <summary>cat: 2 good PNGs + zero-byte + text; Dog: a BMP, a nested PNG, a truncated PNG, a hidden file.</summary>
    private void MakeMixedFolder()
    {
        Put("cat/a.png", Png(100, 40, 200, alpha: 0));
        Put("cat/b.png", PngWriter.Encode(new byte[8 * 8 * 3], 8, 8, PngPixelFormat.Rgb8));
        Put("cat/empty.png", []);
        Put("cat/readme.txt", "not an image"u8.ToArray());
        Put("Dog/x.bmp", BmpTestEncoder.Encode([.. Enumerable.Repeat((byte)50, 4 * 4 * 4)], 4, 4, 24));
        Put("Dog/nested/y.png", Png(3, 3, 9));
        Put("Dog/z.png", Png(30, 30, 1)[..45]);
        Put("Dog/.hidden.png", []);
        Put("loose-file-in-root.png", Png(2, 2, 2));
    }

    [Fact]
    public void Loads_the_good_files_and_lists_the_bad_ones_with_reasons()
    {
        MakeMixedFolder();

        ImageFolderDataset set = ImageFolderDataset.Load(_root);

        Assert.Equal(["Dog", "cat"], set.ClassNames); // ordinal: upper case sorts first
        Assert.Equal(4, set.Count);
        Assert.Equal([2, 2], set.CountPerClass);
        Assert.Equal(["y.png", "x.bmp", "a.png", "b.png"], set.Samples.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal([0, 0, 1, 1], set.Samples.Select(s => s.Label));
        Assert.Equal(3, set.Skipped.Count);
        var reasons = set.Skipped.ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        Assert.Equal("empty file (0 bytes)", reasons["empty.png"]);
        Assert.StartsWith("not a recognised image format (starts with 6E 6F 74 20", reasons["readme.txt"]);
        Assert.StartsWith("not a readable PNG image: file ends inside chunk 'IDAT' at byte 33", reasons["z.png"]);
        Assert.Equal(Path.GetFullPath(_root), set.Folder);
    }

    [Fact]
    public void Samples_are_composited_onto_the_background_by_default_or_kept_as_rgba()
    {
        MakeMixedFolder();

        ImageFolderDataset rgb = ImageFolderDataset.Load(_root);
        ImageFolderDataset black = ImageFolderDataset.Load(_root, new ImageFolderOptions { Background = RgbColor.Black });
        ImageFolderDataset rgba = ImageFolderDataset.Load(_root, new ImageFolderOptions { Alpha = AlphaHandling.KeepRgba });

        ImageSample a = rgb.Samples[2];
        Assert.Equal((PixelFormat.Rgb24, 100, 40, true), (a.Format, a.Width, a.Height, a.SourceHadAlpha));
        Assert.All(a.Pixels.ToArray(), value => Assert.Equal(255, value)); // fully transparent -> white
        Assert.All(black.Samples[2].Pixels.ToArray(), value => Assert.Equal(0, value));
        Assert.Equal(PixelFormat.Rgba32, rgba.Samples[2].Format);
        Assert.Equal(ImageDecoders.Load(a.Path).Pixels.ToArray(), rgba.Samples[2].Pixels.ToArray());
        Assert.False(rgb.Samples[3].SourceHadAlpha);
        Assert.Equal(100 * 40 * 3, a.ToFrame().Stride * a.Height);
    }

    [Fact]
    public void MaxSide_shrinks_large_images_on_load_and_leaves_small_ones()
    {
        MakeMixedFolder();

        ImageFolderDataset set = ImageFolderDataset.Load(_root, new ImageFolderOptions { MaxSide = 20 });

        Assert.Equal((20, 8), (set.Samples[2].Width, set.Samples[2].Height)); // 100x40
        Assert.Equal((8, 8), (set.Samples[3].Width, set.Samples[3].Height));
        Assert.Equal(20 * 8 * 3, set.Samples[2].Pixels.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFolderOptions { MaxSide = 0 });
    }

    [Fact]
    public void A_missing_folder_is_refused()
    {
        string missing = Path.Combine(_root, "nope");
        Assert.Equal($"Image folder '{missing}' does not exist.", Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Load(missing)).Message);
        string file = Put("file.png", Png(1, 1, 1));
        Assert.Contains("is a file", Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Load(file)).Message);
    }

    [Fact]
    public void A_folder_without_class_subfolders_is_refused()
    {
        Put("a.png", Png(2, 2, 2));
        Put(".git/config", [1]);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(_root));

        Assert.Contains($"Image folder '{_root}' has no class subfolders: put each class's images in a subfolder named after the class", error.Message);
    }

    [Fact]
    public void A_single_class_is_refused()
    {
        Put("cat/a.png", Png(2, 2, 2));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(_root));

        Assert.Contains("has only one class subfolder ('cat'); a classifier needs at least two classes", error.Message);
    }

    [Fact]
    public void A_class_without_readable_images_is_refused_with_the_skip_count()
    {
        Put("cat/a.png", Png(2, 2, 2));
        Put("fish/1.png", []);
        Put("fish/2.txt", "x"u8.ToArray());
        Put("fish/3.png", Png(2, 2, 2)[..20]);
        Directory.CreateDirectory(Path.Combine(_root, "zebra"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(_root));
        Assert.Contains("class 'fish' has no readable images (3 skipped). First: 1.png: empty file (0 bytes).", error.Message);

        foreach (string file in Directory.GetFiles(Path.Combine(_root, "fish"))) File.Delete(file);
        Put("fish/ok.png", Png(2, 2, 2));
        Assert.Contains("class 'zebra' has no readable images (0 skipped).", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(_root)).Message);
    }
}
