using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace VisionPlugin.Shaders;

/// <summary>
/// The GLSL sources of the engine: every <c>*.comp</c> (a compute program) and <c>*.glsl</c>
/// (an include) file in this folder, embedded under its file name.
/// </summary>
public static class ShaderSources
{
    private static readonly Assembly Self = typeof(ShaderSources).Assembly;
    private static readonly Lazy<IReadOnlyList<string>> AllNames = new(() =>
        Self.GetManifestResourceNames().Where(n => n.EndsWith(".comp") || n.EndsWith(".glsl")).Order().ToArray());

    /// <summary>File names of every embedded shader and include, sorted.</summary>
    public static IReadOnlyList<string> Names => AllNames.Value;

    /// <summary>True when a file of that name is embedded.</summary>
    public static bool Contains(string fileName) => Self.GetManifestResourceInfo(fileName) is not null;

    /// <summary>The text of one embedded file, e.g. <c>Load("conv2d_forward.comp")</c>.</summary>
    /// <exception cref="FileNotFoundException">No shader of that name is embedded.</exception>
    public static string Load(string fileName)
    {
        using Stream? stream = Self.GetManifestResourceStream(fileName)
            ?? throw new FileNotFoundException($"No embedded shader named '{fileName}'. Known: {string.Join(", ", Names)}", fileName);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
