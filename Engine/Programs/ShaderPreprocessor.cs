using System.Text;
using System.Text.RegularExpressions;

namespace VisionPlugin.Engine;

/// <summary>
/// Turns a <c>.comp</c> file into one GLSL string: <c>#define</c>s inserted after <c>#version</c>,
/// <c>#include "file.glsl"</c> lines replaced by the file (each file once), and <c>#line L S</c>
/// directives so the driver reports errors as (source-string S, line L); <see cref="MapLog"/>
/// turns S back into a file name.
/// </summary>
public sealed partial class ShaderPreprocessor
{
    private readonly Func<string, string> _readFile;

    /// <param name="readFile">Returns the text of a shader file by name (e.g. <c>ShaderSources.Load</c>).</param>
    public ShaderPreprocessor(Func<string, string> readFile) => _readFile = readFile;

    /// <summary>The result: the expanded source and the file behind each source-string number.</summary>
    public sealed record Result(string Source, IReadOnlyList<string> Files);

    public Result Expand(string mainFile, string mainSource, IReadOnlyDictionary<string, string> defines)
    {
        var files = new List<string> { mainFile };
        var output = new StringBuilder();
        string[] lines = mainSource.Split('\n');
        if (lines.Length == 0 || !lines[0].TrimStart().StartsWith("#version", StringComparison.Ordinal))
            throw new GpuException($"Shader '{mainFile}' must start with a #version line.", mainFile,
                defines, "", mainFile, 1);
        output.Append(lines[0].TrimEnd()).Append('\n');
        foreach (var (name, value) in defines.OrderBy(d => d.Key, StringComparer.Ordinal))
            output.Append("#define ").Append(name).Append(' ').Append(value).Append('\n');
        output.Append("#line 2 0\n");
        var included = new HashSet<string>(StringComparer.Ordinal) { mainFile };
        AppendLines(lines, 1, 0, files, included, output, mainFile, defines);
        return new Result(output.ToString(), files);
    }

    private void AppendLines(string[] lines, int firstLine, int sourceNumber, List<string> files,
        HashSet<string> included, StringBuilder output, string mainFile, IReadOnlyDictionary<string, string> defines)
    {
        for (int i = firstLine; i < lines.Length; i++)
        {
            Match include = IncludePattern().Match(lines[i]);
            if (!include.Success)
            {
                output.Append(lines[i]).Append('\n');
                continue;
            }
            string name = include.Groups[1].Value;
            if (included.Add(name))
            {
                string text;
                try { text = _readFile(name); }
                catch (FileNotFoundException)
                {
                    throw new GpuException($"{files[sourceNumber]}:{i + 1}: #include \"{name}\" not found.",
                        mainFile, defines, "", files[sourceNumber], i + 1);
                }
                int number = files.Count;
                files.Add(name);
                output.Append("#line 1 ").Append(number).Append('\n');
                AppendLines(text.Split('\n'), 0, number, files, included, output, mainFile, defines);
            }
            // Resume numbering in the including file on the line after the #include.
            output.Append("#line ").Append(i + 2).Append(' ').Append(sourceNumber).Append('\n');
        }
    }

    /// <summary>
    /// Rewrites a driver log so "0:12(5): error" (Mesa) or "0(12) : error" (NVIDIA) reads
    /// "conv2d_forward.comp:12(5): error"; returns the first (file, line) mentioned.
    /// </summary>
    public static (string Log, string? File, int? Line) MapLog(string log, IReadOnlyList<string> files)
    {
        string? firstFile = null;
        int? firstLine = null;
        string mapped = LogLocationPattern().Replace(log, m =>
        {
            int source = int.Parse(m.Groups[1].Value);
            int line = int.Parse(m.Groups[2].Value);
            string file = source < files.Count ? files[source] : $"<source {source}>";
            if (firstFile is null)
            {
                firstFile = file;
                firstLine = line;
            }
            string column = m.Groups[3].Value.StartsWith('(') ? m.Groups[3].Value : "";
            return $"{file}:{line}{column}";
        });
        return (mapped, firstFile, firstLine);
    }

    [GeneratedRegex("^\\s*#\\s*include\\s+\"([^\"]+)\"\\s*$")]
    private static partial Regex IncludePattern();

    // Mesa: "0:12(5):"; NVIDIA: "0(12) :".
    [GeneratedRegex("(?m)^(\\d+)[:(](\\d+)(\\(\\d+\\)|\\))?")]
    private static partial Regex LogLocationPattern();
}
