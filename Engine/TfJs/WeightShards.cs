namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Reads a weights group's shard files and concatenates them in manifest order. A shard is either a plain binary
/// file (<c>group1-shard1of2.bin</c>) or a JavaScript module exporting the bytes as one base64 string
/// (<c>group1-shard1of1.min.js</c>, see <see cref="JsModule"/>). A manifest path names a file in the model's folder;
/// when no file has that exact name, the same name plus <c>.min.js</c> is tried (nsfwjs lists
/// <c>group1-shard1of1</c> and ships <c>group1-shard1of1.min.js</c>). Paths that leave the folder (absolute, with
/// <c>..</c>, or URLs) are refused. Every shard's byte count is known before the group's buffer is allocated, and
/// the total must equal what the manifest's weights occupy.
/// </summary>
internal static class WeightShards
{
    /// <summary>The shard file a manifest path names.</summary>
    /// <exception cref="TfJsFormatException">The path leaves the model folder, or no such file exists.</exception>
    public static string Resolve(string modelDirectory, string manifestPath, string modelFile)
    {
        if (manifestPath.Length == 0 || manifestPath.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(manifestPath) ||
            manifestPath.Split('/', '\\').Any(part => part is ".." or ""))
            throw new TfJsFormatException(modelFile, $"weight shard path '{manifestPath}' does not name a file inside the model folder; refusing it.");
        string exact = Path.Combine(modelDirectory, manifestPath);
        if (File.Exists(exact)) return exact;
        string module = exact + ".min.js";
        if (File.Exists(module)) return module;
        throw new TfJsFormatException(modelFile, $"weight shard '{manifestPath}' is missing: neither {exact} nor {module} exists.");
    }

    /// <summary>True for shards stored as base64 JavaScript modules.</summary>
    public static bool IsModule(string shardPath) => shardPath.EndsWith(".js", StringComparison.OrdinalIgnoreCase);

    /// <summary>The group's bytes: its shards concatenated, checked against the manifest's total first.</summary>
    /// <exception cref="TfJsFormatException">A missing shard, a bad base64 payload, or a size mismatch.</exception>
    public static byte[] ReadGroup(WeightGroup group, int groupIndex, string modelDirectory, string modelFile)
    {
        var shards = new List<Shard>();
        long total = 0;
        foreach (string manifestPath in group.Paths)
        {
            Shard shard = Open(Resolve(modelDirectory, manifestPath, modelFile));
            shards.Add(shard);
            total += shard.Length;
        }
        if (total != group.ByteCount)
            throw new TfJsFormatException(modelFile,
                $"weightsManifest[{groupIndex}] weights need {group.ByteCount} bytes, but its shards ({string.Join(", ", shards.Select(s => $"{Path.GetFileName(s.Path)}: {s.Length}"))}) hold {total}.");
        if (total > Array.MaxLength)
            throw new TfJsFormatException(modelFile, $"weightsManifest[{groupIndex}] holds {total} bytes, more than one group can be read into memory.");

        var bytes = new byte[total];
        int offset = 0;
        foreach (Shard shard in shards)
        {
            Span<byte> destination = bytes.AsSpan(offset, checked((int)shard.Length));
            if (shard.Base64 is { } text)
            {
                if (!Convert.TryFromBase64String(text, destination, out int written) || written != destination.Length)
                    throw new TfJsFormatException(shard.Path, "the exported string is not valid base64.");
            }
            else
            {
                using FileStream stream = File.OpenRead(shard.Path);
                stream.ReadExactly(destination);
            }
            offset += destination.Length;
        }
        return bytes;
    }

    /// <summary>A shard with its decoded length; module shards keep their text until decoded.</summary>
    private sealed record Shard(string Path, long Length, string? Base64 = null);

    private static Shard Open(string path)
    {
        if (!IsModule(path)) return new Shard(path, new FileInfo(path).Length);
        long fileLength = new FileInfo(path).Length;
        if (fileLength > Array.MaxLength)
            throw new TfJsFormatException(path, $"the shard module is {fileLength} bytes, too large to read.");
        string base64 = JsModule.ExportedString(File.ReadAllText(path), path);
        int length = base64.Length;
        if (length % 4 != 0) throw new TfJsFormatException(path, $"the base64 payload has {length} characters, not a multiple of 4.");
        int padding = length == 0 ? 0 : base64[^1] != '=' ? 0 : base64[^2] == '=' ? 2 : 1;
        return new Shard(path, length / 4 * 3L - padding, base64);
    }
}
