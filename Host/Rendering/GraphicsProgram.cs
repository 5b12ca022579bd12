using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;
using VisionPlugin.Shaders;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// A linked vertex + fragment program built from two embedded shader files (<c>Shaders/Render</c>).
/// Compile and link failures raise <see cref="GpuException"/> naming the file and quoting the driver's log.
/// Owns the GL program; dispose on the GL thread (idempotent).
/// </summary>
internal sealed class GraphicsProgram : IDisposable
{
    private readonly GpuContext _context;
    private readonly Dictionary<string, int> _uniforms = new(StringComparer.Ordinal);
    private bool _disposed;

    public GraphicsProgram(GpuContext context, string vertexFile, string fragmentFile)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        _context = context;
        GL gl = context.GL;
        uint vertex = Compile(gl, GL.VERTEX_SHADER, vertexFile);
        uint fragment;
        try { fragment = Compile(gl, GL.FRAGMENT_SHADER, fragmentFile); }
        catch { gl.DeleteShader(vertex); throw; }
        Id = gl.CreateProgram();
        gl.AttachShader(Id, vertex);
        gl.AttachShader(Id, fragment);
        gl.LinkProgram(Id);
        gl.DetachShader(Id, vertex);
        gl.DetachShader(Id, fragment);
        gl.DeleteShader(vertex);
        gl.DeleteShader(fragment);
        if (gl.GetProgram(Id, GL.LINK_STATUS) == 0)
        {
            string log = gl.GetProgramInfoLog(Id);
            gl.DeleteProgram(Id);
            throw new GpuException($"Linking {vertexFile} + {fragmentFile} failed:\n{log}");
        }
        Name = $"{vertexFile}+{fragmentFile}";
    }

    public uint Id { get; }
    public string Name { get; }

    /// <summary>Sets a vec2 uniform (no-op when the linker removed it).</summary>
    public void Set(string name, float x, float y)
    {
        int location = Location(name);
        if (location >= 0) _context.GL.ProgramUniform(Id, location, x, y);
    }

    private int Location(string name)
    {
        if (!_uniforms.TryGetValue(name, out int location))
            _uniforms[name] = location = _context.GL.GetUniformLocation(Id, name);
        return location;
    }

    private static uint Compile(GL gl, uint stage, string file)
    {
        uint shader = gl.CreateShader(stage);
        gl.ShaderSource(shader, ShaderSources.Load(file));
        gl.CompileShader(shader);
        if (gl.GetShader(shader, GL.COMPILE_STATUS) != 0) return shader;
        string log = gl.GetShaderInfoLog(shader);
        gl.DeleteShader(shader);
        throw new GpuException($"Compiling {file} failed:\n{log}");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _context.VerifyAccess();
        _context.GL.DeleteProgram(Id);
    }
}
