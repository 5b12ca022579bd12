using System.Globalization;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Reads a tensor's bytes from a file next to the model (<c>TensorProto.external_data</c>:
/// location, offset, length). The location is untrusted: it must be a relative path that
/// resolves, symbolic links included, inside the model's folder, and the file must exist and
/// hold offset + length bytes. Every check runs before the file is opened.
/// </summary>
internal static class OnnxExternalData
{
    public static byte[] Read(OnnxDecodeContext context, string tensorLabel, IReadOnlyList<(string Key, string Value)> entries, long expectedBytes)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var (key, value) in entries)
        {
            switch (key)
            {
                case "location": location = value; break;
                case "offset": offset = ParseNonNegative(context, tensorLabel, key, value); break;
                case "length": length = ParseNonNegative(context, tensorLabel, key, value); break;
                default: break; // "checksum" and future keys do not change where the bytes are
            }
        }
        if (string.IsNullOrEmpty(location)) throw context.Error($"external data of {tensorLabel} has no location");
        string quoted = $"external data location '{location}' of {tensorLabel}";
        if (context.BaseFolder is null) throw context.Error($"{quoted} cannot be resolved: the model was read from memory with no base folder");

        string path = ResolveInside(context, quoted, context.BaseFolder, location);
        long fileBytes = FileLength(context, quoted, path);
        long readBytes = length ?? expectedBytes;
        if (readBytes != expectedBytes)
            throw context.Error($"{quoted} declares length {readBytes}, but the tensor needs {expectedBytes} bytes");
        if (offset > fileBytes || readBytes > fileBytes - offset)
            throw context.Error($"{quoted} asks for bytes {offset}..{offset + readBytes} but the file has {fileBytes}");
        if (readBytes > Array.MaxLength) throw context.Error($"{quoted} is {readBytes} bytes, more than one array can hold");

        var bytes = new byte[readBytes];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is (IOException and not OnnxFormatException) or UnauthorizedAccessException)
        {
            throw context.Error($"{quoted} could not be read ({e.Message})", e);
        }
        return bytes;
    }

    private static long FileLength(OnnxDecodeContext context, string quoted, string path)
    {
        try { return new FileInfo(path).Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw context.Error($"{quoted} could not be read ({e.Message})", e);
        }
    }

    private static long ParseNonNegative(OnnxDecodeContext context, string tensorLabel, string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed)
            ? parsed
            : throw context.Error($"external data {key} '{value}' of {tensorLabel} is not a non-negative integer");

    /// <summary>
    /// The real path of <paramref name="location"/> under <paramref name="baseFolder"/>, refusing
    /// absolute paths, ".." segments, links that lead out of the folder, and anything but an existing file.
    /// </summary>
    private static string ResolveInside(OnnxDecodeContext context, string quoted, string baseFolder, string location)
    {
        string[] segments = location.Split('/', '\\');
        if (Path.IsPathRooted(location) || location.Contains(':') || location.Contains('\0') || segments.Contains(".."))
            throw context.Error($"{quoted} is outside the model folder");
        string realBase;
        try { realBase = RealPath(Path.GetFullPath(baseFolder)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw context.Error($"{quoted}: the model folder '{baseFolder}' cannot be resolved ({e.Message})", e);
        }
        string candidate = Path.Combine([realBase, .. segments.Where(s => s.Length > 0 && s != ".")]);
        string real;
        try { real = RealPath(candidate); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw context.Error($"{quoted} cannot be resolved ({e.Message})", e);
        }
        string prefix = realBase.EndsWith(Path.DirectorySeparatorChar) ? realBase : realBase + Path.DirectorySeparatorChar;
        if (!real.StartsWith(prefix, StringComparison.Ordinal))
            throw context.Error($"{quoted} is outside the model folder (it resolves to '{real}' through a symbolic link)");
        if (!File.Exists(real))
            throw context.Error(Directory.Exists(real) ? $"{quoted} is a folder, not a file" : $"{quoted} does not exist (looked for '{real}')");
        return real;
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it replaced by its target, like
    /// POSIX realpath; components that do not exist are kept as they are. Link chains are bounded.
    /// </summary>
    private static string RealPath(string fullPath, int linksFollowed = 0)
    {
        string root = Path.GetPathRoot(fullPath) ?? "";
        string current = root;
        string[] parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(current);
            if (info.LinkTarget is not { } target) continue;
            if (++linksFollowed > 40) throw new IOException($"too many symbolic links under '{fullPath}'");
            string targetPath = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root);
            current = RealPath(targetPath, linksFollowed);
        }
        return current;
    }
}
