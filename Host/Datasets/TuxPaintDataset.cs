using System.Text;
using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Datasets;

/// <summary>One class of the Tux Paint set: the stamp folders (relative to the stamps root) whose PNGs it takes.</summary>
/// <param name="ClassName">The class folder name in the output.</param>
/// <param name="SourceFolders">Folders under the stamps root.</param>
/// <param name="Recursive">Whether subfolders (e.g. <c>cartoon/</c>) are included.</param>
internal sealed record TuxPaintClassRule(string ClassName, IReadOnlyList<string> SourceFolders, bool Recursive);

/// <summary>What <see cref="TuxPaintDataset.Build"/> did.</summary>
internal sealed record TuxPaintBuildResult(
    string OutputFolder, string StampsFolder, IReadOnlyList<(string ClassName, int Count)> Classes,
    int Copied, int Unchanged, int Removed, IReadOnlyList<SkippedFile> Skipped)
{
    public int Total => Classes.Sum(c => c.Count);
}

/// <summary>
/// Builds an 8-class image folder from the stamps of Debian's <c>tuxpaint-stamps-default</c>
/// (<c>/usr/share/tuxpaint/stamps</c>; cut-out drawings on transparent backgrounds, GPL-2+).
/// </summary>
/// <remarks>
/// The rule, and why it gives 258 images (package version 2022.06.04-1): every PNG under each class's
/// folders, recursively, <b>including</b> the <c>cartoon/</c> subfolders (262 files), <b>except</b>
/// Tux Paint's pre-mirrored alternates <c>NAME_mirror.png</c> next to a stamp <c>NAME.png</c> — Tux Paint
/// shows them when a stamp is flipped, they are not stamps of their own (they have no <c>.txt</c>
/// description) and would put the same drawing in the set twice. 4 such files sit under vehicles/, so
/// 262 - 4 = 258: mammal 71, bird 38, fish 11, insect 20, fruit 41, vegetable 18, flower 25, vehicle 34.
/// Without cartoons the set would have 211 images (and 8 classes of very unequal size); SVG stamps are not
/// taken (no SVG decoder). Output names are the path below the class's source folder with "__" for
/// each separator (<c>cats__cartoon__lion.png</c>), since cartoon and realistic stamps share names.
/// </remarks>
internal static class TuxPaintDataset
{
    public const string Package = "tuxpaint-stamps-default";
    public const string DefaultStampsFolder = "/usr/share/tuxpaint/stamps";
    public static readonly string DefaultOutputFolder = Path.Combine("out", "datasets", "tuxpaint");
    private const string MirrorSuffix = "_mirror";

    public static IReadOnlyList<TuxPaintClassRule> Rules { get; } =
    [
        new("mammal", ["animals/mammals", "animals/marsupials"], Recursive: true),
        new("bird", ["animals/birds"], Recursive: true),
        new("fish", ["animals/fish"], Recursive: false),
        new("insect", ["animals/insects"], Recursive: true),
        new("fruit", ["food/fruit"], Recursive: true),
        new("vegetable", ["food/vegetables"], Recursive: false),
        new("flower", ["plants/flowers"], Recursive: true),
        new("vehicle", ["vehicles"], Recursive: true),
    ];

    /// <summary>
    /// Copies the stamps into <paramref name="outputFolder"/>/&lt;class&gt;/. Idempotent: files already there
    /// with the same bytes are left alone; PNGs in the class folders that are not part of the set are removed.
    /// Every stamp is decoded first, so a damaged file is skipped (and listed) rather than copied.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The stamps folder or one of its class folders is missing.</exception>
    public static TuxPaintBuildResult Build(string stampsFolder, string outputFolder)
    {
        if (!Directory.Exists(stampsFolder))
            throw new DirectoryNotFoundException($"Tux Paint stamps folder '{stampsFolder}' does not exist (Debian package {Package}).");
        var skipped = new List<SkippedFile>();
        var plan = new List<(string ClassName, string Source, string Name)>();
        foreach (TuxPaintClassRule rule in Rules)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string relative in rule.SourceFolders)
            {
                string folder = Path.Combine(stampsFolder, relative);
                if (!Directory.Exists(folder))
                    throw new DirectoryNotFoundException($"Tux Paint stamps folder '{folder}' (class '{rule.ClassName}') does not exist: is {Package} complete?");
                var option = rule.Recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                foreach (string file in Directory.EnumerateFiles(folder, "*", option).Order(StringComparer.Ordinal))
                {
                    if (!Path.GetExtension(file).Equals(".png", StringComparison.OrdinalIgnoreCase)) continue;
                    if (MirroredStamp(file) is string original)
                    {
                        skipped.Add(new SkippedFile(file, $"pre-mirrored copy of {Path.GetFileName(original)} (Tux Paint's flipped variant, not a stamp of its own)"));
                        continue;
                    }
                    string name = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar.ToString(), "__", StringComparison.Ordinal);
                    if (names.TryGetValue(name, out string? other))
                        throw new InvalidDataException($"Stamps '{other}' and '{file}' would both become {rule.ClassName}/{name}.");
                    try
                    {
                        ImageDecoders.Load(file);
                    }
                    catch (ImageFormatException e)
                    {
                        skipped.Add(new SkippedFile(file, e.Reason));
                        continue;
                    }
                    names.Add(name, file);
                    plan.Add((rule.ClassName, file, name));
                }
            }
        }

        int copied = 0, unchanged = 0, removed = 0;
        foreach (TuxPaintClassRule rule in Rules)
        {
            string classFolder = Path.Combine(outputFolder, rule.ClassName);
            Directory.CreateDirectory(classFolder);
            var wanted = plan.Where(p => p.ClassName == rule.ClassName).ToDictionary(p => p.Name, p => p.Source, StringComparer.Ordinal);
            foreach (string existing in Directory.EnumerateFiles(classFolder, "*.png"))
                if (!wanted.ContainsKey(Path.GetFileName(existing)))
                {
                    File.Delete(existing);
                    removed++;
                }
            foreach (var (name, source) in wanted)
            {
                string target = Path.Combine(classFolder, name);
                if (SameBytes(source, target))
                {
                    unchanged++;
                    continue;
                }
                string temporary = target + ".partial";
                File.Copy(source, temporary, overwrite: true);
                File.Move(temporary, target, overwrite: true);
                copied++;
            }
        }
        WriteIfChanged(Path.Combine(outputFolder, "SOURCES.txt"), Sources(stampsFolder, plan));
        var classes = Rules.Select(r => (r.ClassName, plan.Count(p => p.ClassName == r.ClassName))).ToList();
        return new TuxPaintBuildResult(Path.GetFullPath(outputFolder), stampsFolder, classes, copied, unchanged, removed, skipped);
    }

    // NAME_mirror.png is an alternate of NAME.png (or NAME.svg) in the same folder; returns that stamp, or null.
    private static string? MirroredStamp(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        if (!stem.EndsWith(MirrorSuffix, StringComparison.Ordinal)) return null;
        string folder = Path.GetDirectoryName(file)!, baseStem = stem[..^MirrorSuffix.Length];
        foreach (string extension in new[] { ".png", ".svg" })
        {
            string original = Path.Combine(folder, baseStem + extension);
            if (File.Exists(original)) return original;
        }
        return null;
    }

    private static bool SameBytes(string source, string target)
    {
        var info = new FileInfo(target);
        if (!info.Exists || info.Length != new FileInfo(source).Length) return false;
        return File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(target));
    }

    private static string Sources(string stampsFolder, List<(string ClassName, string Source, string Name)> plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"Tux Paint stamps from Debian package {Package} ({stampsFolder}); licence: GPL-2+,");
        text.AppendLine($"see /usr/share/doc/{Package}/copyright. Built by './visionplugin dataset tuxpaint'.");
        text.AppendLine();
        foreach (var (className, source, name) in plan)
            text.AppendLine($"{className}/{name} <- {Path.GetRelativePath(stampsFolder, source)}");
        return text.ToString();
    }

    private static void WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return;
        File.WriteAllText(path + ".partial", content);
        File.Move(path + ".partial", path, overwrite: true);
    }
}
