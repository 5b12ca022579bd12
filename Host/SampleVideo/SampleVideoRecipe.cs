using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Everything that decides the sample video's frames: size, rate, length, the seeded camera paths and the sources.
/// Two recipes with the same <see cref="ComputeHash"/> give byte-identical frames; <see cref="SampleVideoCache.EnsureBuilt"/>
/// rebuilds when the hash of the recipe (which includes the bytes of every source image) changes.
/// </summary>
public sealed record SampleVideoRecipe
{
    /// <summary>Bumped whenever the builder's algorithm changes what frames a recipe gives (part of the hash).</summary>
    public const int AlgorithmVersion = 1;

    /// <summary>The Debian package holding the default sources (Ubuntu Touch 16.04 wallpapers, photographs, CC-BY-4.0 / CC0-1.0).</summary>
    public const string DefaultPackage = "lomiri-wallpapers-16.04";

    private const string DefaultFolder = "/usr/share/backgrounds";

    /// <summary>Frame columns (default 640).</summary>
    public int Width { get; init; } = 640;

    /// <summary>Frame rows (default 360).</summary>
    public int Height { get; init; } = 360;

    /// <summary>Frames per second (default 15).</summary>
    public int Fps { get; init; } = 15;

    /// <summary>Frames in each segment (default 105: 7 s at 15 fps).</summary>
    public int FramesPerSegment { get; init; } = 105;

    /// <summary>Seeds the camera paths (zoom direction, pan direction).</summary>
    public int Seed { get; init; } = 7;

    /// <summary>The camera zooms between this (1: the largest window of the frame's aspect that fits the image; default 1) and <see cref="MaxZoom"/>.</summary>
    public double MinZoom { get; init; } = 1.0;

    /// <summary>The camera zooms between <see cref="MinZoom"/> and this (default 1.4).</summary>
    public double MaxZoom { get; init; } = 1.4;

    /// <summary>How far the window's centre travels over a segment, as a fraction of the unzoomed window's width (default 0.25).</summary>
    public double PanFraction { get; init; } = 0.25;

    /// <summary>The leading fraction of each segment meant for capturing training samples (default 0.35); the rest is for testing.</summary>
    public double CaptureFraction { get; init; } = 0.35;

    /// <summary>The segments, in playing order.</summary>
    public IReadOnlyList<SampleVideoSegmentSource> Segments { get; init; } = [];

    /// <summary>
    /// Six photographs of clearly different subjects from <see cref="DefaultPackage"/> (version 20.04.0-2), each with
    /// the point its camera path stays on; see docs/sample-video.md.
    /// </summary>
    public static SampleVideoRecipe Default { get; } = new()
    {
        Segments =
        [
            Lomiri("mountain", "picosdeeuropa_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", "Aitzol Berasategi, 2018", 0.55, 0.4),
            Lomiri("dogs", "friends_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", "Aitzol Berasategi, 2018", 0.45, 0.40),
            Lomiri("paintbrushes", "Picture_1A_by_freespace.jpg", "CC-BY-4.0", "Trevor \"Freespace\", 2018", 0.5, 0.5),
            Lomiri("fig", "Picture_0B_by_freespace.jpg", "CC-BY-4.0", "Trevor \"Freespace\", 2018", 0.55, 0.55),
            Lomiri("stream", "life_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", "Aitzol Berasategi, 2018", 0.5, 0.55),
            Lomiri("dandelions", "seeding_by_Clements_Engelhardt.jpg", "CC0-1.0", "Clemens Engelhardt, 2018", 0.3, 0.5),
        ],
    };

    /// <summary>Checks every field; throws with the field's name and value.</summary>
    /// <exception cref="ArgumentException">A size, rate, fraction or zoom is out of range, or the segments are empty or have blank or repeated labels.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 2, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 2, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Width, 4096, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Height, 4096, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfLessThan(Fps, 1, nameof(Fps));
        ArgumentOutOfRangeException.ThrowIfLessThan(FramesPerSegment, 2, nameof(FramesPerSegment));
        if (!(MinZoom >= 1 && MinZoom <= MaxZoom && MaxZoom <= 4))
            throw new ArgumentOutOfRangeException(nameof(MaxZoom), $"Zoom range [{MinZoom}, {MaxZoom}] must satisfy 1 <= MinZoom <= MaxZoom <= 4.");
        if (!(PanFraction >= 0 && PanFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(PanFraction), PanFraction, "PanFraction must lie in [0, 1].");
        if (!(CaptureFraction > 0 && CaptureFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(CaptureFraction), CaptureFraction, "CaptureFraction must lie strictly between 0 and 1.");
        if (Segments is null || Segments.Count == 0) throw new ArgumentException("A sample video recipe needs at least one segment.", nameof(Segments));
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (SampleVideoSegmentSource segment in Segments)
        {
            if (string.IsNullOrWhiteSpace(segment.Label)) throw new ArgumentException("A segment has an empty label.", nameof(Segments));
            if (!labels.Add(segment.Label)) throw new ArgumentException($"Segment label '{segment.Label}' appears twice; each segment is its own class.", nameof(Segments));
            ArgumentException.ThrowIfNullOrWhiteSpace(segment.SourcePath, nameof(Segments));
            if (!(segment.FocusX is >= 0 and <= 1 && segment.FocusY is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(Segments), $"Segment '{segment.Label}' focus ({segment.FocusX}, {segment.FocusY}) must lie in [0, 1] x [0, 1].");
        }
    }

    /// <summary>
    /// Lowercase hex SHA-256 of <see cref="AlgorithmVersion"/>, every field, and each source file's SHA-256: the same
    /// hash means the same frames. Reads every source file.
    /// </summary>
    /// <exception cref="FileNotFoundException">A source file is missing (the message names its Debian package).</exception>
    public string ComputeHash()
    {
        Validate();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"algorithm={AlgorithmVersion};{Width}x{Height}@{Fps};frames={FramesPerSegment};seed={Seed};");
        text.Append(CultureInfo.InvariantCulture, $"zoom={MinZoom:R}..{MaxZoom:R};pan={PanFraction:R};capture={CaptureFraction:R}\n");
        foreach (SampleVideoSegmentSource segment in Segments)
        {
            RequireSource(segment);
            string fileHash;
            using (FileStream stream = File.OpenRead(segment.SourcePath)) fileHash = Convert.ToHexStringLower(SHA256.HashData(stream));
            text.Append(CultureInfo.InvariantCulture,
                $"{segment.Label}|{segment.SourcePath}|{segment.Package}|{segment.Licence}|{segment.Credit}|{segment.FocusX:R}|{segment.FocusY:R}|{fileHash}\n");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Throws a <see cref="FileNotFoundException"/> that says how to get the file when <paramref name="segment"/>'s source is missing.</summary>
    internal static void RequireSource(SampleVideoSegmentSource segment)
    {
        if (File.Exists(segment.SourcePath)) return;
        string remedy = segment.Package is null
            ? "the file is not part of any Debian package; restore it"
            : $"it comes with Debian package {segment.Package}: run scripts/setup.sh (or apt-get install {segment.Package})";
        throw new FileNotFoundException($"Sample video source for segment '{segment.Label}' is missing: {segment.SourcePath} ({remedy}).", segment.SourcePath);
    }

    private static SampleVideoSegmentSource Lomiri(string label, string file, string licence, string credit, double focusX, double focusY) =>
        new(label, Path.Combine(DefaultFolder, file), DefaultPackage, licence, credit, focusX, focusY);
}
