namespace VisionPlugin.Visualization;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a torn
/// write: the bytes go to a hidden temporary file in the same folder (same file system), which is
/// flushed to disk and then renamed over the target. On failure the temporary file is removed.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="bytes"/> atomically.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0) throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write '{fullPath}': folder '{folder}' does not exist.");
        string temporary = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
