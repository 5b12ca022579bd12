using System.Text.RegularExpressions;

namespace VisionPlugin.Host.Capture;

/// <summary>What a capture source is, as told apart by <see cref="SourceSpec.Parse"/>.</summary>
public enum SourceKind
{
    /// <summary>A local camera by index (OpenCV's <c>VideoCapture(index)</c>).</summary>
    Camera,
    /// <summary>A video file read through FFmpeg.</summary>
    VideoFile,
    /// <summary>A folder of images decoded with <c>ImageDecoders</c>, played in file-name order at a fixed rate.</summary>
    ImageFolder,
    /// <summary>A network stream: rtsp://, rtsps://, http:// or https://.</summary>
    Url,
    /// <summary>A GStreamer pipeline ending in an appsink (OpenCV's <c>CAP_GSTREAMER</c>).</summary>
    GStreamerPipeline,
}

/// <summary>
/// A capture source parsed from what a user typed: <c>"0"</c>..<c>"9"</c> (camera), an existing video file, an existing
/// folder (image sequence), an rtsp/http(s) URL, or a GStreamer pipeline (<c>"gst:..."</c> or any text containing
/// <c>" ! "</c>). The keyword <see cref="SampleKeyword"/> is resolved by the caller's function to a path.
/// </summary>
public sealed partial record SourceSpec
{
    /// <summary>The reserved word for the bundled sample video; <see cref="Parse"/> asks its resolver for the path.</summary>
    public const string SampleKeyword = "sample";

    private static readonly string[] UrlSchemes = ["rtsp", "rtsps", "http", "https"];

    private SourceSpec(SourceKind kind, string location, int cameraIndex)
    {
        Kind = kind;
        Location = location;
        CameraIndex = cameraIndex;
    }

    public SourceKind Kind { get; }

    /// <summary>The full path, URL or pipeline (for a camera, its index as text).</summary>
    public string Location { get; }

    /// <summary>The camera index for <see cref="SourceKind.Camera"/>; -1 otherwise.</summary>
    public int CameraIndex { get; }

    /// <summary>Cameras, URLs and pipelines: sources that deliver frames in real time and are reopened when lost.</summary>
    public bool IsLive => Kind is SourceKind.Camera or SourceKind.Url or SourceKind.GStreamerPipeline;

    public static SourceSpec Camera(int index) =>
        index is >= 0 and <= 99 ? new(SourceKind.Camera, index.ToString(System.Globalization.CultureInfo.InvariantCulture), index)
                                : throw new ArgumentOutOfRangeException(nameof(index), index, "A camera index is 0..99.");

    /// <summary>
    /// Parses a source description. <paramref name="resolveKeyword"/> maps <see cref="SampleKeyword"/> to a file path
    /// (null when the caller has none).
    /// </summary>
    /// <exception cref="ArgumentException">Empty text, an unsupported URL scheme, or "sample" with no resolver.</exception>
    /// <exception cref="FileNotFoundException">Text that names no camera, URL or pipeline and no existing file or folder.</exception>
    public static SourceSpec Parse(string text, Func<string, string?>? resolveKeyword = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0) throw new ArgumentException("The capture source is empty; give a camera index (0-9), a video file, an image folder, a URL or a GStreamer pipeline.", nameof(text));
        if (trimmed.StartsWith("gst:", StringComparison.OrdinalIgnoreCase))
            return Pipeline(trimmed[4..].Trim(), text);
        if (trimmed.Contains(" ! ", StringComparison.Ordinal)) return Pipeline(trimmed, text);
        if (SchemePattern().Match(trimmed) is { Success: true } url)
        {
            string scheme = url.Groups[1].Value.ToLowerInvariant();
            if (Array.IndexOf(UrlSchemes, scheme) < 0)
                throw new ArgumentException($"Unsupported URL scheme \"{scheme}://\" in capture source \"{text}\"; supported: {string.Join(", ", UrlSchemes.Select(s => s + "://"))}.", nameof(text));
            return new SourceSpec(SourceKind.Url, trimmed, -1);
        }
        if (trimmed.Length == 1 && char.IsAsciiDigit(trimmed[0])) return Camera(trimmed[0] - '0');
        if (trimmed.Equals(SampleKeyword, StringComparison.OrdinalIgnoreCase))
        {
            string? path = resolveKeyword?.Invoke(SampleKeyword)
                ?? throw new ArgumentException($"The capture source \"{SampleKeyword}\" (the sample video) is not available here.", nameof(text));
            return Parse(path);
        }
        string full = Path.GetFullPath(trimmed);
        if (Directory.Exists(full)) return new SourceSpec(SourceKind.ImageFolder, full, -1);
        if (File.Exists(full)) return new SourceSpec(SourceKind.VideoFile, full, -1);
        throw new FileNotFoundException(
            $"Capture source \"{text}\" is not a camera index (0-9), a URL (rtsp://, http(s)://), a GStreamer pipeline (\"gst:...\" or containing \" ! \"), or an existing file or folder ({full} does not exist).",
            full);
    }

    private static SourceSpec Pipeline(string pipeline, string text) => pipeline.Length > 0
        ? new SourceSpec(SourceKind.GStreamerPipeline, pipeline, -1)
        : throw new ArgumentException($"The GStreamer pipeline in capture source \"{text}\" is empty.", nameof(text));

    /// <summary>A short display name: "Camera 0", "clip.mp4", "frames/ (images)", "rtsp://host/path", "GStreamer: videotestsrc ...".</summary>
    public override string ToString() => Kind switch
    {
        SourceKind.Camera => $"Camera {CameraIndex}",
        SourceKind.VideoFile => Path.GetFileName(Location),
        SourceKind.ImageFolder => $"{Path.GetFileName(Location.TrimEnd(Path.DirectorySeparatorChar))}/ (images)",
        SourceKind.Url => Shorten(UserInfoPattern().Replace(Location, "$1***@"), 48),
        _ => "GStreamer: " + Shorten(Location, 36),
    };

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex SchemePattern();

    // scheme://user:password@host -> scheme://***@host: credentials never reach the window title or the log.
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*://)[^/@]*@")]
    private static partial Regex UserInfoPattern();
}
