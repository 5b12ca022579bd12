using System.Diagnostics;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Keeps one built sample video in a cache folder: <see cref="EnsureBuilt"/> builds it only when it is missing or was
/// built from another recipe (hash of the settings and of the source images' bytes), and replaces it so that a reader
/// never sees a half-written video behind a valid manifest.
/// </summary>
/// <remarks>
/// Layout of the folder: the video (<c>videoName</c>, a file or a folder of PNG frames) and <c>manifest.json</c>.
/// The manifest is the commit marker: it is removed before the video is replaced and written (atomically) last, and
/// a manifest counts only when its recipe hash and video name match and the video exists. Builds go to a temporary
/// <c>.partial-&lt;guid&gt;-videoName</c> in the same folder (same file system, the extension kept for writers that
/// choose the container by it) and are renamed into place; a failed build removes its temporary output.
/// (Not named <c>SampleVideo</c>: a class named like its namespace cannot be reached by its simple name from elsewhere.)
/// </remarks>
public static class SampleVideoCache
{
    /// <summary><c>$XDG_CACHE_HOME/visionplugin/sample</c>, else <c>~/.cache/visionplugin/sample</c>.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "visionplugin", "sample");
        }
    }

    /// <summary>Returns the cached sample video, building it first when it is missing or out of date.</summary>
    /// <param name="cacheDir">The cache folder (created if missing); null for <see cref="DefaultDirectory"/>.</param>
    /// <param name="videoName">The video's name in the folder, e.g. <c>sample.mp4</c> or <c>frames</c>.</param>
    /// <param name="sinkFactory">Opens a sink that writes the video at the given path (a temporary name ending in <paramref name="videoName"/>).</param>
    /// <param name="recipe">What to build; null for <see cref="SampleVideoRecipe.Default"/>.</param>
    /// <param name="log">Progress lines (one per segment when building); null for none.</param>
    /// <exception cref="FileNotFoundException">A source image is missing; the message names the Debian package and scripts/setup.sh.</exception>
    /// <exception cref="VisionPlugin.Imaging.ImageFormatException">A source image cannot be decoded.</exception>
    public static SampleVideoBuildResult EnsureBuilt(string? cacheDir, string videoName, Func<string, ISampleVideoSink> sinkFactory,
        SampleVideoRecipe? recipe = null, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(videoName);
        ArgumentNullException.ThrowIfNull(sinkFactory);
        if (videoName != Path.GetFileName(videoName) || videoName is "." or ".." || videoName == SampleVideoManifest.FileName)
            throw new ArgumentException($"Video name '{videoName}' must be a plain file name other than {SampleVideoManifest.FileName}.", nameof(videoName));
        var clock = Stopwatch.StartNew();
        recipe ??= SampleVideoRecipe.Default;
        string folder = Path.GetFullPath(cacheDir ?? DefaultDirectory);
        Directory.CreateDirectory(folder);
        string manifestPath = Path.Combine(folder, SampleVideoManifest.FileName), videoPath = Path.Combine(folder, videoName);
        string hash = recipe.ComputeHash();

        if (UpToDate(manifestPath, videoPath, videoName, hash) is { } existing)
            return new SampleVideoBuildResult(videoPath, manifestPath, existing, Built: false, clock.Elapsed);

        log?.WriteLine($"sample video: building {videoPath} ({recipe.Segments.Count} segments x {recipe.FramesPerSegment} frames, " +
                       $"{recipe.Width}x{recipe.Height} at {recipe.Fps} fps)");
        string temporary = Path.Combine(folder, $".partial-{Guid.NewGuid():N}-{videoName}");
        SampleVideoManifest manifest;
        try
        {
            using (ISampleVideoSink sink = sinkFactory(temporary))
                manifest = SampleVideoBuilder.Build(recipe, sink, videoName, hash, log);
            if (!Exists(temporary)) throw new IOException($"The sample video sink wrote nothing at '{temporary}'.");
            File.Delete(manifestPath); // first, so no manifest ever describes a video it was not written for
            Delete(videoPath);
            if (Directory.Exists(temporary)) Directory.Move(temporary, videoPath);
            else File.Move(temporary, videoPath);
            manifest.Save(manifestPath);
        }
        catch
        {
            Delete(temporary);
            throw;
        }
        log?.WriteLine($"sample video: built {manifest.FrameCount} frames in {clock.Elapsed.TotalSeconds:0.0} s");
        return new SampleVideoBuildResult(videoPath, manifestPath, manifest, Built: true, clock.Elapsed);
    }

    // The manifest when it exists, parses, matches the recipe hash and names the video, and the video exists; else null.
    private static SampleVideoManifest? UpToDate(string manifestPath, string videoPath, string videoName, string hash)
    {
        if (!File.Exists(manifestPath) || !Exists(videoPath)) return null;
        try
        {
            SampleVideoManifest manifest = SampleVideoManifest.Load(manifestPath);
            return manifest.RecipeHash == hash && manifest.Video == videoName ? manifest : null;
        }
        catch (InvalidDataException)
        {
            return null; // a damaged manifest is rebuilt, not fatal
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }
}
