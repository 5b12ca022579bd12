using System.Security.Cryptography;
using System.Text;
using VisionPlugin.Engine.Binding;
using VisionPlugin.Shaders;

namespace VisionPlugin.Engine;

/// <summary>
/// Compiles and keeps compute programs, keyed by (shader name, defines). Linked binaries are also
/// stored on disk (glGetProgramBinary) under a key that hashes the expanded source, the defines and
/// the driver string, so a later process skips compilation, and any change to a shader, an include
/// or the driver yields a different key (the stale file is simply never read again).
/// A binary the driver rejects is deleted and the program is compiled from source.
/// </summary>
public sealed class ProgramCache : IDisposable
{
    private static readonly byte[] FileMagic = "VPPB0001"u8.ToArray();
    private readonly GpuContext _context;
    private readonly string? _directory;
    private readonly Dictionary<string, ComputeProgram> _programs = new(StringComparer.Ordinal);
    private readonly ShaderPreprocessor _preprocessor = new(ShaderSources.Load);

    internal ProgramCache(GpuContext context, string? directory)
    {
        _context = context;
        _directory = directory;
    }

    /// <summary>Programs compiled from source by this cache.</summary>
    public int CompiledCount { get; private set; }
    /// <summary>Programs loaded from the disk cache instead of compiled.</summary>
    public int BinaryLoadCount { get; private set; }
    /// <summary>The on-disk binary folder, or null when disabled.</summary>
    public string? Directory => _directory;

    /// <summary>The program for the embedded shader <paramref name="shaderName"/> with these defines.</summary>
    public ComputeProgram Get(string shaderName, IReadOnlyDictionary<string, string>? defines = null)
    {
        defines ??= EmptyDefines;
        string key = shaderName + "|" + DefinesKey(defines);
        if (_programs.TryGetValue(key, out ComputeProgram? program)) return program;
        program = Build(shaderName, ShaderSources.Load(shaderName), defines, useDisk: true);
        _programs[key] = program;
        return program;
    }

    /// <summary>
    /// Like <see cref="Get"/> for source text that is not an embedded file (its includes resolve
    /// against the embedded shaders); cached in memory and on disk under the same rules.
    /// </summary>
    public ComputeProgram GetFromSource(string name, string source, IReadOnlyDictionary<string, string>? defines = null)
    {
        defines ??= EmptyDefines;
        source = source.Replace("\r\n", "\n");
        string key = name + "|" + DefinesKey(defines) + "|" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
        if (_programs.TryGetValue(key, out ComputeProgram? program)) return program;
        program = Build(name, source, defines, useDisk: true);
        _programs[key] = program;
        return program;
    }

    /// <summary>
    /// Compiles a program from source text (its includes resolve against the embedded shaders).
    /// Not cached on disk or in memory; the caller owns it and calls <see cref="Release"/>.
    /// Used by tools and tests.
    /// </summary>
    public ComputeProgram Compile(string name, string source, IReadOnlyDictionary<string, string>? defines = null) =>
        Build(name, source.Replace("\r\n", "\n"), defines ?? EmptyDefines, useDisk: false);

    /// <summary>Deletes a program made by <see cref="Compile"/>.</summary>
    public void Release(ComputeProgram program)
    {
        _context.VerifyAccess();
        program.Delete();
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyDefines = new Dictionary<string, string>();

    private static string DefinesKey(IReadOnlyDictionary<string, string> defines) =>
        string.Join(";", defines.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value));

    private ComputeProgram Build(string name, string source, IReadOnlyDictionary<string, string> defines, bool useDisk)
    {
        _context.VerifyAccess();
        ShaderPreprocessor.Result expanded = _preprocessor.Expand(name, source, defines);
        string? binaryPath = useDisk && _directory is not null ? BinaryPath(expanded.Source, defines) : null;
        if (binaryPath is not null && TryLoadBinary(binaryPath, name, defines) is { } cached)
        {
            BinaryLoadCount++;
            return cached;
        }
        uint id = CompileAndLink(name, defines, expanded);
        CompiledCount++;
        if (binaryPath is not null) TrySaveBinary(binaryPath, id);
        return new ComputeProgram(_context, id, name, defines, fromBinary: false);
    }

    private uint CompileAndLink(string name, IReadOnlyDictionary<string, string> defines, ShaderPreprocessor.Result expanded)
    {
        GL gl = _context.GL;
        uint shader = gl.CreateShader(GL.COMPUTE_SHADER);
        gl.ShaderSource(shader, expanded.Source);
        gl.CompileShader(shader);
        if (gl.GetShader(shader, GL.COMPILE_STATUS) == 0)
        {
            string log = gl.GetShaderInfoLog(shader);
            gl.DeleteShader(shader);
            throw ShaderError("compile", name, defines, log, expanded.Files);
        }
        uint program = gl.CreateProgram();
        gl.ProgramParameter(program, GL.PROGRAM_BINARY_RETRIEVABLE_HINT, 1);
        gl.AttachShader(program, shader);
        gl.LinkProgram(program);
        gl.DetachShader(program, shader);
        gl.DeleteShader(shader);
        if (gl.GetProgram(program, GL.LINK_STATUS) == 0)
        {
            string log = gl.GetProgramInfoLog(program);
            gl.DeleteProgram(program);
            throw ShaderError("link", name, defines, log, expanded.Files);
        }
        return program;
    }

    private GpuException ShaderError(string stage, string name, IReadOnlyDictionary<string, string> defines, string log, IReadOnlyList<string> files)
    {
        var (mapped, file, line) = ShaderPreprocessor.MapLog(log, files);
        string where = file is null ? name : $"{file}:{line}";
        string defineText = defines.Count == 0 ? "no defines" : "defines " + DefinesKey(defines);
        return new GpuException(
            $"Shader '{name}' ({defineText}) failed to {stage} at {where} on '{_context.Device.Renderer}':\n{mapped.Trim()}",
            name, defines, mapped, file, line);
    }

    private string BinaryPath(string expandedSource, IReadOnlyDictionary<string, string> defines) =>
        Path.Combine(_directory!, BinaryKey(_context.Device.DriverString, defines, expandedSource) + ".bin");

    /// <summary>The cache file's name: a hash of driver string, defines and fully expanded source.</summary>
    internal static string BinaryKey(string driverString, IReadOnlyDictionary<string, string> defines, string expandedSource)
    {
        string keyText = driverString + "\n" + DefinesKey(defines) + "\n" + expandedSource;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(keyText)))[..32].ToLowerInvariant();
    }

    private ComputeProgram? TryLoadBinary(string path, string name, IReadOnlyDictionary<string, string> defines)
    {
        byte[] file;
        try
        {
            if (!File.Exists(path)) return null;
            file = File.ReadAllBytes(path);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        if (file.Length < FileMagic.Length + 4 || !file.AsSpan(0, FileMagic.Length).SequenceEqual(FileMagic))
        {
            TryDelete(path);
            return null;
        }
        uint format = BitConverter.ToUInt32(file, FileMagic.Length);
        GL gl = _context.GL;
        uint program = gl.CreateProgram();
        gl.ProgramBinary(program, format, file.AsSpan(FileMagic.Length + 4));
        bool ok = gl.GetProgram(program, GL.LINK_STATUS) != 0;
        while (gl.GetError() != GL.NO_ERROR) ok = false; // an unknown format raises INVALID_ENUM
        if (!ok)
        {
            gl.DeleteProgram(program);
            TryDelete(path);
            return null;
        }
        return new ComputeProgram(_context, program, name, defines, fromBinary: true);
    }

    /// <summary>Writes the binary to a temporary file and renames it into place (atomic; a failure only loses the cache entry).</summary>
    private void TrySaveBinary(string path, uint program)
    {
        try
        {
            var (format, bytes) = _context.GL.GetProgramBinary(program);
            if (bytes.Length == 0) return;
            System.IO.Directory.CreateDirectory(_directory!);
            string temp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(FileMagic);
                    stream.Write(BitConverter.GetBytes(format));
                    stream.Write(bytes);
                }
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                TryDelete(temp);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        foreach (ComputeProgram program in _programs.Values) program.Delete();
        _programs.Clear();
    }
}
