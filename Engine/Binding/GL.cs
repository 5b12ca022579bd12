using System.Runtime.InteropServices;
using System.Text;

namespace VisionPlugin.Engine.Binding;

/// <summary>
/// The OpenGL 4.3 entry points the engine uses, as unmanaged function pointers loaded from a
/// proc-address loader (<c>eglGetProcAddress</c>, <c>glfwGetProcAddress</c> or Silk.NET's
/// <c>window.GLContext.GetProcAddress</c>). One instance per context; there is no static GL state.
/// Named after the GL functions (Silk.NET style: <c>GL.DispatchCompute</c> is <c>glDispatchCompute</c>).
/// This is the only file in Engine that is <c>unsafe</c> about GL; every call must be made on the
/// thread that owns the context.
/// </summary>
public sealed unsafe partial class GL
{
    // Enumerants used by the engine (values from the Khronos registry).
    public const uint COMPUTE_SHADER = 0x91B9;
    public const uint COMPILE_STATUS = 0x8B81;
    public const uint LINK_STATUS = 0x8B82;
    public const uint INFO_LOG_LENGTH = 0x8B84;
    public const uint SHADER_STORAGE_BUFFER = 0x90D2;
    public const uint COPY_READ_BUFFER = 0x8F36;
    public const uint COPY_WRITE_BUFFER = 0x8F37;
    public const uint DYNAMIC_COPY = 0x88EA;
    public const uint DYNAMIC_DRAW = 0x88E8;
    public const uint SHADER_STORAGE_BARRIER_BIT = 0x00002000;
    public const uint BUFFER_UPDATE_BARRIER_BIT = 0x00000200;
    public const uint ALL_BARRIER_BITS = 0xFFFFFFFF;
    public const uint VENDOR = 0x1F00;
    public const uint RENDERER = 0x1F01;
    public const uint VERSION = 0x1F02;
    public const uint SHADING_LANGUAGE_VERSION = 0x8B8C;
    public const uint MAJOR_VERSION = 0x821B;
    public const uint MINOR_VERSION = 0x821C;
    public const uint MAX_COMPUTE_WORK_GROUP_INVOCATIONS = 0x90EB;
    public const uint MAX_COMPUTE_WORK_GROUP_COUNT = 0x91BE;
    public const uint MAX_COMPUTE_WORK_GROUP_SIZE = 0x91BF;
    public const uint MAX_COMPUTE_SHARED_MEMORY_SIZE = 0x8262;
    public const uint MAX_SHADER_STORAGE_BLOCK_SIZE = 0x90DE;
    public const uint MAX_SHADER_STORAGE_BUFFER_BINDINGS = 0x90DD;
    public const uint PROGRAM_BINARY_LENGTH = 0x8741;
    public const uint COMPUTE_WORK_GROUP_SIZE = 0x8267;
    public const uint NUM_PROGRAM_BINARY_FORMATS = 0x87FE;
    public const uint PROGRAM_BINARY_RETRIEVABLE_HINT = 0x8257;
    public const uint R32F = 0x822E;
    public const uint RED = 0x1903;
    public const uint FLOAT = 0x1406;
    public const uint NO_ERROR = 0;
    public const uint TEXTURE_2D = 0x0DE1;
    public const uint TEXTURE0 = 0x84C0;
    public const uint ACTIVE_TEXTURE = 0x84E0;
    public const uint TEXTURE_BINDING_2D = 0x8069;
    public const uint RGBA8 = 0x8058;
    public const uint RGBA = 0x1908;
    public const uint UNSIGNED_BYTE = 0x1401;
    public const uint TEXTURE_MIN_FILTER = 0x2801;
    public const uint TEXTURE_MAG_FILTER = 0x2800;
    public const uint NEAREST = 0x2600;

    private readonly delegate* unmanaged<uint, uint> _createShader;
    private readonly delegate* unmanaged<uint, int, byte**, int*, void> _shaderSource;
    private readonly delegate* unmanaged<uint, void> _compileShader;
    private readonly delegate* unmanaged<uint, uint, int*, void> _getShaderiv;
    private readonly delegate* unmanaged<uint, int, int*, byte*, void> _getShaderInfoLog;
    private readonly delegate* unmanaged<uint, void> _deleteShader;
    private readonly delegate* unmanaged<uint> _createProgram;
    private readonly delegate* unmanaged<uint, uint, void> _attachShader;
    private readonly delegate* unmanaged<uint, uint, void> _detachShader;
    private readonly delegate* unmanaged<uint, void> _linkProgram;
    private readonly delegate* unmanaged<uint, uint, int*, void> _getProgramiv;
    private readonly delegate* unmanaged<uint, int, int*, byte*, void> _getProgramInfoLog;
    private readonly delegate* unmanaged<uint, void> _deleteProgram;
    private readonly delegate* unmanaged<uint, void> _useProgram;
    private readonly delegate* unmanaged<uint, uint, int, void> _programParameteri;
    private readonly delegate* unmanaged<uint, int, int*, uint*, void*, void> _getProgramBinary;
    private readonly delegate* unmanaged<uint, uint, void*, int, void> _programBinary;
    private readonly delegate* unmanaged<uint, byte*, int> _getUniformLocation;
    private readonly delegate* unmanaged<uint, int, int, void> _programUniform1i;
    private readonly delegate* unmanaged<uint, int, uint, void> _programUniform1ui;
    private readonly delegate* unmanaged<uint, int, float, void> _programUniform1f;
    private readonly delegate* unmanaged<uint, int, float, float, float, void> _programUniform3f;
    private readonly delegate* unmanaged<int, uint*, void> _genBuffers;
    private readonly delegate* unmanaged<int, uint*, void> _deleteBuffers;
    private readonly delegate* unmanaged<uint, uint, void> _bindBuffer;
    private readonly delegate* unmanaged<uint, nint, void*, uint, void> _bufferData;
    private readonly delegate* unmanaged<uint, nint, nint, void*, void> _bufferSubData;
    private readonly delegate* unmanaged<uint, nint, nint, void*, void> _getBufferSubData;
    private readonly delegate* unmanaged<uint, uint, nint, nint, nint, void> _copyBufferSubData;
    private readonly delegate* unmanaged<uint, uint, uint, uint, void*, void> _clearBufferData;
    private readonly delegate* unmanaged<uint, uint, uint, void> _bindBufferBase;
    private readonly delegate* unmanaged<uint, uint, uint, void> _dispatchCompute;
    private readonly delegate* unmanaged<uint, void> _memoryBarrier;
    private readonly delegate* unmanaged<uint, byte*> _getString;
    private readonly delegate* unmanaged<uint, int*, void> _getIntegerv;
    private readonly delegate* unmanaged<uint, uint, int*, void> _getIntegeri_v;
    private readonly delegate* unmanaged<uint> _getError;
    private readonly delegate* unmanaged<void> _finish;
    private readonly delegate* unmanaged<int, uint*, void> _genTextures;
    private readonly delegate* unmanaged<int, uint*, void> _deleteTextures;
    private readonly delegate* unmanaged<uint, uint, void> _bindTexture;
    private readonly delegate* unmanaged<uint, void> _activeTexture;
    private readonly delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void> _texImage2D;
    private readonly delegate* unmanaged<uint, uint, int, void> _texParameteri;

    /// <summary>Loads every entry point through <paramref name="getProcAddress"/>; names the first one missing.</summary>
    public GL(Func<string, nint> getProcAddress)
    {
        ArgumentNullException.ThrowIfNull(getProcAddress);
        nint Load(string name)
        {
            nint p = getProcAddress(name);
            if (p == 0) throw new GpuException($"The OpenGL driver does not provide '{name}' (OpenGL 4.3 core is required).");
            return p;
        }
        _createShader = (delegate* unmanaged<uint, uint>)Load("glCreateShader");
        _shaderSource = (delegate* unmanaged<uint, int, byte**, int*, void>)Load("glShaderSource");
        _compileShader = (delegate* unmanaged<uint, void>)Load("glCompileShader");
        _getShaderiv = (delegate* unmanaged<uint, uint, int*, void>)Load("glGetShaderiv");
        _getShaderInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load("glGetShaderInfoLog");
        _deleteShader = (delegate* unmanaged<uint, void>)Load("glDeleteShader");
        _createProgram = (delegate* unmanaged<uint>)Load("glCreateProgram");
        _attachShader = (delegate* unmanaged<uint, uint, void>)Load("glAttachShader");
        _detachShader = (delegate* unmanaged<uint, uint, void>)Load("glDetachShader");
        _linkProgram = (delegate* unmanaged<uint, void>)Load("glLinkProgram");
        _getProgramiv = (delegate* unmanaged<uint, uint, int*, void>)Load("glGetProgramiv");
        _getProgramInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load("glGetProgramInfoLog");
        _deleteProgram = (delegate* unmanaged<uint, void>)Load("glDeleteProgram");
        _useProgram = (delegate* unmanaged<uint, void>)Load("glUseProgram");
        _programParameteri = (delegate* unmanaged<uint, uint, int, void>)Load("glProgramParameteri");
        _getProgramBinary = (delegate* unmanaged<uint, int, int*, uint*, void*, void>)Load("glGetProgramBinary");
        _programBinary = (delegate* unmanaged<uint, uint, void*, int, void>)Load("glProgramBinary");
        _getUniformLocation = (delegate* unmanaged<uint, byte*, int>)Load("glGetUniformLocation");
        _programUniform1i = (delegate* unmanaged<uint, int, int, void>)Load("glProgramUniform1i");
        _programUniform1ui = (delegate* unmanaged<uint, int, uint, void>)Load("glProgramUniform1ui");
        _programUniform1f = (delegate* unmanaged<uint, int, float, void>)Load("glProgramUniform1f");
        _programUniform3f = (delegate* unmanaged<uint, int, float, float, float, void>)Load("glProgramUniform3f");
        _genBuffers = (delegate* unmanaged<int, uint*, void>)Load("glGenBuffers");
        _deleteBuffers = (delegate* unmanaged<int, uint*, void>)Load("glDeleteBuffers");
        _bindBuffer = (delegate* unmanaged<uint, uint, void>)Load("glBindBuffer");
        _bufferData = (delegate* unmanaged<uint, nint, void*, uint, void>)Load("glBufferData");
        _bufferSubData = (delegate* unmanaged<uint, nint, nint, void*, void>)Load("glBufferSubData");
        _getBufferSubData = (delegate* unmanaged<uint, nint, nint, void*, void>)Load("glGetBufferSubData");
        _copyBufferSubData = (delegate* unmanaged<uint, uint, nint, nint, nint, void>)Load("glCopyBufferSubData");
        _clearBufferData = (delegate* unmanaged<uint, uint, uint, uint, void*, void>)Load("glClearBufferData");
        _bindBufferBase = (delegate* unmanaged<uint, uint, uint, void>)Load("glBindBufferBase");
        _dispatchCompute = (delegate* unmanaged<uint, uint, uint, void>)Load("glDispatchCompute");
        _memoryBarrier = (delegate* unmanaged<uint, void>)Load("glMemoryBarrier");
        _getString = (delegate* unmanaged<uint, byte*>)Load("glGetString");
        _getIntegerv = (delegate* unmanaged<uint, int*, void>)Load("glGetIntegerv");
        _getIntegeri_v = (delegate* unmanaged<uint, uint, int*, void>)Load("glGetIntegeri_v");
        _getError = (delegate* unmanaged<uint>)Load("glGetError");
        _finish = (delegate* unmanaged<void>)Load("glFinish");
        _genTextures = (delegate* unmanaged<int, uint*, void>)Load("glGenTextures");
        _deleteTextures = (delegate* unmanaged<int, uint*, void>)Load("glDeleteTextures");
        _bindTexture = (delegate* unmanaged<uint, uint, void>)Load("glBindTexture");
        _activeTexture = (delegate* unmanaged<uint, void>)Load("glActiveTexture");
        _texImage2D = (delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void>)Load("glTexImage2D");
        _texParameteri = (delegate* unmanaged<uint, uint, int, void>)Load("glTexParameteri");
        LoadRenderingEntryPoints(Load);
        LoadTexelBufferEntryPoints(Load);
    }

    public uint CreateShader(uint type) => _createShader(type);

    public void ShaderSource(uint shader, string source)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(source);
        fixed (byte* p = bytes)
        {
            byte* strings = p;
            int length = bytes.Length;
            _shaderSource(shader, 1, &strings, &length);
        }
    }

    public void CompileShader(uint shader) => _compileShader(shader);

    public int GetShader(uint shader, uint parameter)
    {
        int value;
        _getShaderiv(shader, parameter, &value);
        return value;
    }

    public string GetShaderInfoLog(uint shader)
    {
        int length = GetShader(shader, INFO_LOG_LENGTH);
        if (length <= 0) return "";
        byte[] buffer = new byte[length];
        fixed (byte* p = buffer) _getShaderInfoLog(shader, length, &length, p);
        return Encoding.UTF8.GetString(buffer, 0, Math.Max(0, length));
    }

    public void DeleteShader(uint shader) => _deleteShader(shader);
    public uint CreateProgram() => _createProgram();
    public void AttachShader(uint program, uint shader) => _attachShader(program, shader);
    public void DetachShader(uint program, uint shader) => _detachShader(program, shader);
    public void LinkProgram(uint program) => _linkProgram(program);

    public int GetProgram(uint program, uint parameter)
    {
        int value;
        _getProgramiv(program, parameter, &value);
        return value;
    }

    /// <summary>The (x, y, z) local size a linked compute program declares.</summary>
    public (int X, int Y, int Z) GetComputeWorkGroupSize(uint program)
    {
        int* size = stackalloc int[3];
        _getProgramiv(program, COMPUTE_WORK_GROUP_SIZE, size);
        return (size[0], size[1], size[2]);
    }

    public string GetProgramInfoLog(uint program)
    {
        int length = GetProgram(program, INFO_LOG_LENGTH);
        if (length <= 0) return "";
        byte[] buffer = new byte[length];
        fixed (byte* p = buffer) _getProgramInfoLog(program, length, &length, p);
        return Encoding.UTF8.GetString(buffer, 0, Math.Max(0, length));
    }

    public void DeleteProgram(uint program) => _deleteProgram(program);
    public void UseProgram(uint program) => _useProgram(program);
    public void ProgramParameter(uint program, uint name, int value) => _programParameteri(program, name, value);

    /// <summary>Reads a linked program's binary; returns the driver's binary format and the bytes.</summary>
    public (uint Format, byte[] Bytes) GetProgramBinary(uint program)
    {
        int length = GetProgram(program, PROGRAM_BINARY_LENGTH);
        byte[] bytes = new byte[Math.Max(0, length)];
        uint format = 0;
        int written = 0;
        fixed (byte* p = bytes) _getProgramBinary(program, bytes.Length, &written, &format, p);
        if (written != bytes.Length) Array.Resize(ref bytes, Math.Max(0, written));
        return (format, bytes);
    }

    public void ProgramBinary(uint program, uint format, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes) _programBinary(program, format, p, bytes.Length);
    }

    public int GetUniformLocation(uint program, string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes) return _getUniformLocation(program, p);
    }

    public void ProgramUniform(uint program, int location, int value) => _programUniform1i(program, location, value);
    public void ProgramUniform(uint program, int location, uint value) => _programUniform1ui(program, location, value);
    public void ProgramUniform(uint program, int location, float value) => _programUniform1f(program, location, value);
    public void ProgramUniform(uint program, int location, float x, float y, float z) => _programUniform3f(program, location, x, y, z);

    public uint GenBuffer()
    {
        uint id;
        _genBuffers(1, &id);
        return id;
    }

    public void DeleteBuffer(uint buffer) => _deleteBuffers(1, &buffer);
    public void BindBuffer(uint target, uint buffer) => _bindBuffer(target, buffer);

    /// <summary>Allocates <paramref name="byteCount"/> bytes for the buffer bound to <paramref name="target"/>; contents undefined.</summary>
    public void BufferData(uint target, long byteCount, uint usage) => _bufferData(target, (nint)byteCount, null, usage);

    public void BufferSubData<T>(uint target, long byteOffset, ReadOnlySpan<T> data) where T : unmanaged
    {
        fixed (T* p = data) _bufferSubData(target, (nint)byteOffset, (nint)((long)data.Length * sizeof(T)), p);
    }

    public void GetBufferSubData<T>(uint target, long byteOffset, Span<T> destination) where T : unmanaged
    {
        fixed (T* p = destination) _getBufferSubData(target, (nint)byteOffset, (nint)((long)destination.Length * sizeof(T)), p);
    }

    /// <summary>glCopyBufferSubData(readTarget, writeTarget, readOffset, writeOffset, size).</summary>
    public void CopyBufferSubData(uint readTarget, uint writeTarget, long readOffset, long writeOffset, long byteCount) =>
        _copyBufferSubData(readTarget, writeTarget, (nint)readOffset, (nint)writeOffset, (nint)byteCount);

    /// <summary>Fills the buffer bound to <paramref name="target"/> with one 32-bit float value.</summary>
    public void ClearBufferData(uint target, float value) => _clearBufferData(target, R32F, RED, FLOAT, &value);

    public void BindBufferBase(uint target, uint index, uint buffer) => _bindBufferBase(target, index, buffer);
    public void DispatchCompute(uint x, uint y, uint z) => _dispatchCompute(x, y, z);
    public void MemoryBarrier(uint barriers) => _memoryBarrier(barriers);

    public string GetString(uint name)
    {
        byte* p = _getString(name);
        return p == null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";
    }

    public int GetInteger(uint name)
    {
        int value = 0;
        _getIntegerv(name, &value);
        return value;
    }

    public int GetInteger(uint name, uint index)
    {
        int value = 0;
        _getIntegeri_v(name, index, &value);
        return value;
    }

    public uint GenTexture()
    {
        uint id;
        _genTextures(1, &id);
        return id;
    }

    public void DeleteTexture(uint texture) => _deleteTextures(1, &texture);
    public void BindTexture(uint target, uint texture) => _bindTexture(target, texture);
    public void ActiveTexture(uint unit) => _activeTexture(unit);
    public void TexParameter(uint target, uint name, int value) => _texParameteri(target, name, value);

    /// <summary>glTexImage2D for 8-bit RGBA data (rows bottom-up, as GL stores them).</summary>
    public void TexImage2DRgba8(uint target, int width, int height, ReadOnlySpan<byte> pixels)
    {
        fixed (byte* p = pixels) _texImage2D(target, 0, (int)RGBA8, width, height, 0, RGBA, UNSIGNED_BYTE, p);
    }

    public uint GetError() => _getError();
    public void Finish() => _finish();
}
