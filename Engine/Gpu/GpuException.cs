namespace VisionPlugin.Engine;

/// <summary>
/// The one exception type for GPU failures: context creation, missing driver features,
/// shader compile/link errors and GL errors. For shader errors it carries the shader name,
/// the <c>#define</c>s of the variant, the driver's log with file names restored, and the
/// first file and line the log points at.
/// </summary>
public sealed class GpuException : Exception
{
    public GpuException(string message) : base(message) { }

    public GpuException(string message, Exception inner) : base(message, inner) { }

    public GpuException(string message, string shaderName, IReadOnlyDictionary<string, string> defines,
        string infoLog, string? file, int? line)
        : base(message)
    {
        ShaderName = shaderName;
        Defines = defines;
        InfoLog = infoLog;
        File = file;
        Line = line;
    }

    /// <summary>The program's main file (e.g. <c>conv2d_forward.comp</c>), when the error is a shader's.</summary>
    public string? ShaderName { get; }

    /// <summary>The variant's defines, when the error is a shader's.</summary>
    public IReadOnlyDictionary<string, string>? Defines { get; }

    /// <summary>The compiler or linker log, with source-string numbers replaced by file names.</summary>
    public string? InfoLog { get; }

    /// <summary>The file the first error points at (the main file or an include).</summary>
    public string? File { get; }

    /// <summary>The 1-based line in <see cref="File"/> of the first error.</summary>
    public int? Line { get; }
}
