using System.Security.Cryptography;
using System.Text;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// File names for per-tensor files (<c>grad_&lt;initializer&gt;.pb</c>) that every file system accepts: characters other
/// than ASCII letters, digits, '-', '_' and '.' become '_' (so "conv1/W:0" is "conv1_W_0"), a leading '.' becomes
/// '_' (no hidden files, no ".."), an empty name is "_", names longer than 120 characters are cut and end in '~' and 8
/// hex digits of the full name's SHA-256, and names that still collide (also when compared ignoring case) get "~2",
/// "~3"... in the order given.
/// </summary>
public static class OnnxFileNames
{
    private const int MaxStemLength = 120;

    /// <summary>The sanitized stem of one name (without collision handling).</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length);
        foreach (char c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        if (text.Length == 0) return "_";
        if (text[0] == '.') text[0] = '_';
        if (text.Length <= MaxStemLength) return text.ToString();
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
        return text.ToString(0, MaxStemLength) + "~" + hash;
    }

    /// <summary>
    /// One distinct file name per name: <paramref name="prefix"/> + sanitized stem + <paramref name="extension"/>,
    /// unique also on case-insensitive file systems and against <paramref name="taken"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<string> names, string prefix, string extension, IEnumerable<string>? taken = null)
    {
        var used = new HashSet<string>(taken ?? [], StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (result.ContainsKey(name)) continue;
            string stem = Sanitize(name);
            string file = prefix + stem + extension;
            for (int k = 2; !used.Add(file); k++) file = $"{prefix}{stem}~{k}{extension}";
            result[name] = file;
        }
        return result;
    }
}
