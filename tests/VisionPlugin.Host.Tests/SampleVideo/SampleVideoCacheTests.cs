using VisionPlugin.Host.SampleVideo;
using static VisionPlugin.Host.Tests.SampleVideo.SampleVideoTestKit;

namespace VisionPlugin.Host.Tests.SampleVideo;

public sealed class SampleVideoCacheTests
{
    private sealed class CountingFactory
    {
        public int Opened { get; private set; }
        public List<string> Paths { get; } = [];

        public ISampleVideoSink Open(string path)
        {
            Opened++;
            Paths.Add(path);
            return new PngFolderSink(path);
        }
    }

    /// <summary>Writes a few frames, then fails like a full disk.</summary>
    private sealed class FailingSink(string path) : ISampleVideoSink
    {
        private readonly PngFolderSink _inner = new(path);
        public void Begin(int width, int height, int fps) => _inner.Begin(width, height, fps);
        public void Write(ReadOnlySpan<byte> bgr)
        {
            if (_inner.FrameCount == 5) throw new IOException("disk full (test)");
            _inner.Write(bgr);
        }
        public void Complete() => _inner.Complete();
        public void Dispose() => _inner.Dispose();
    }

    [Fact]
    public void EnsureBuilt_BuildsOnce_ThenFindsTheVideoUpToDate()
    {
        using var scratch = new ScratchFolder();
        var recipe = SmallRecipe(WriteSources(scratch.Path, 2));
        string cache = Path.Combine(scratch.Path, "cache");
        var factory = new CountingFactory();

        SampleVideoBuildResult first = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe);
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(first.VideoPath, PngFolderSink.FrameFileName(0)));
        SampleVideoBuildResult second = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe);

        Assert.True(first.Built);
        Assert.False(second.Built);
        Assert.Equal(1, factory.Opened);
        Assert.EndsWith("-frames", factory.Paths[0]); // built under a temporary name, keeping the video name's ending
        Assert.Equal(Path.Combine(cache, "frames"), first.VideoPath);
        Assert.Equal(40, Directory.GetFiles(first.VideoPath, "frame_*.png").Length);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(second.VideoPath, PngFolderSink.FrameFileName(0))));
        Assert.Equal(first.Manifest with { Segments = [] }, second.Manifest with { Segments = [] });
        Assert.Equal(recipe.ComputeHash(), SampleVideoManifest.Load(Path.Combine(cache, SampleVideoManifest.FileName)).RecipeHash);
        Assert.Equal(["frames", "manifest.json"], Directory.GetFileSystemEntries(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EnsureBuilt_RebuildsWhenTheRecipeOrASourceChanges()
    {
        using var scratch = new ScratchFolder();
        var sources = WriteSources(scratch.Path, 2);
        string cache = Path.Combine(scratch.Path, "cache");
        var factory = new CountingFactory();

        string hash1 = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, SmallRecipe(sources, seed: 1)).Manifest.RecipeHash;
        SampleVideoBuildResult reseeded = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, SmallRecipe(sources, seed: 2));
        File.Copy(Path.Combine(scratch.Path, "source0.png"), sources[1].SourcePath, overwrite: true); // same name, new bytes
        SampleVideoBuildResult newSource = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, SmallRecipe(sources, seed: 2));

        Assert.True(reseeded.Built);
        Assert.True(newSource.Built);
        Assert.Equal(3, factory.Opened);
        Assert.Equal(3, new[] { hash1, reseeded.Manifest.RecipeHash, newSource.Manifest.RecipeHash }.Distinct().Count());
        Assert.Equal(newSource.Manifest.RecipeHash, SampleVideoManifest.Load(newSource.ManifestPath).RecipeHash);
        Assert.Equal(40, Directory.GetFiles(newSource.VideoPath, "frame_*.png").Length); // the old frames were replaced, not mixed in
        Assert.Equal(2, Directory.GetFileSystemEntries(cache).Length);
    }

    [Fact]
    public void EnsureBuilt_RebuildsADamagedManifestOrAMissingVideo()
    {
        using var scratch = new ScratchFolder();
        var recipe = SmallRecipe(WriteSources(scratch.Path, 1));
        string cache = Path.Combine(scratch.Path, "cache");
        var factory = new CountingFactory();
        SampleVideoBuildResult built = SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe);

        File.WriteAllText(built.ManifestPath, "{ truncated");
        Assert.True(SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe).Built);
        Directory.Delete(built.VideoPath, recursive: true);
        Assert.True(SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe).Built);
        Assert.False(SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe).Built);
        Assert.Equal(3, factory.Opened);
    }

    [Fact]
    public void EnsureBuilt_AFailedBuildLeavesThePreviousVideoAndNoTemporaryFiles()
    {
        using var scratch = new ScratchFolder();
        var sources = WriteSources(scratch.Path, 2);
        string cache = Path.Combine(scratch.Path, "cache");
        SampleVideoBuildResult good = SampleVideoCache.EnsureBuilt(cache, "frames", p => new PngFolderSink(p), SmallRecipe(sources, seed: 1));

        var error = Assert.Throws<IOException>(() => SampleVideoCache.EnsureBuilt(cache, "frames", p => new FailingSink(p), SmallRecipe(sources, seed: 2)));

        Assert.Equal("disk full (test)", error.Message);
        Assert.Equal(["frames", "manifest.json"], Directory.GetFileSystemEntries(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(good.Manifest.RecipeHash, SampleVideoManifest.Load(good.ManifestPath).RecipeHash);
        Assert.Equal(40, Directory.GetFiles(good.VideoPath).Length);
    }

    [Fact]
    public void EnsureBuilt_MissingSource_NamesThePackage_AndCreatesNothing()
    {
        using var scratch = new ScratchFolder();
        string cache = Path.Combine(scratch.Path, "cache");
        var recipe = SmallRecipe([new SampleVideoSegmentSource("x", "/nonexistent/photo.jpg", "lomiri-wallpapers-16.04", "CC-BY-4.0", "x")]);
        var factory = new CountingFactory();

        var error = Assert.Throws<FileNotFoundException>(() => SampleVideoCache.EnsureBuilt(cache, "frames", factory.Open, recipe));

        Assert.Contains("lomiri-wallpapers-16.04", error.Message);
        Assert.Contains("scripts/setup.sh", error.Message);
        Assert.Equal(0, factory.Opened);
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("sub/frames")]
    [InlineData("..")]
    public void EnsureBuilt_RejectsVideoNamesThatAreNotPlainFileNames(string videoName)
    {
        var error = Assert.Throws<ArgumentException>(() => SampleVideoCache.EnsureBuilt("/tmp/unused", videoName, p => new PngFolderSink(p)));
        Assert.Contains(videoName, error.Message);
    }

    [Fact]
    public void DefaultDirectory_FollowsXdgCacheHome()
    {
        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg-test");
            Assert.Equal("/tmp/xdg-test/visionplugin/sample", SampleVideoCache.DefaultDirectory);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "visionplugin", "sample"),
                SampleVideoCache.DefaultDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }
}
