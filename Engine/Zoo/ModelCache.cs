using System.Security.Cryptography;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// The local folder pretrained models are fetched into by <c>scripts/fetch-models.sh</c> (run by
/// <c>scripts/setup.sh</c>): <c>$VISIONPLUGIN_MODEL_CACHE</c>, else <c>$XDG_CACHE_HOME/visionplugin/models</c>, else
/// <c>~/.cache/visionplugin/models</c>. The plugin only reads it; files are checked against recorded SHA-256 sums.
/// </summary>
public static class ModelCache
{
    /// <summary>The environment variable that overrides the cache folder.</summary>
    public const string EnvironmentVariable = "VISIONPLUGIN_MODEL_CACHE";

    /// <summary>The cache folder for this environment (it may not exist yet).</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(overridden)) return overridden;
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string cacheRoot = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cacheRoot, "visionplugin", "models");
        }
    }

    /// <summary>
    /// Checks that <paramref name="directory"/> holds every file with its SHA-256 (lower-case hex).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message says to run scripts/setup.sh).</exception>
    /// <exception cref="InvalidDataException">A file's checksum differs (damaged or replaced).</exception>
    public static void Verify(string modelName, string directory, IReadOnlyList<(string File, string Sha256)> files)
    {
        foreach (var (file, expected) in files)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Pretrained model '{modelName}' is not in the model cache: {path} is missing. Run scripts/setup.sh " +
                    $"(or scripts/fetch-models.sh) to fetch it; set {EnvironmentVariable} to use another cache folder.", path);
            string actual = Sha256(path);
            if (actual != expected)
                throw new InvalidDataException(
                    $"Pretrained model '{modelName}': {path} has SHA-256 {actual}, expected {expected}. Delete {directory} and run scripts/fetch-models.sh again.");
        }
    }

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
