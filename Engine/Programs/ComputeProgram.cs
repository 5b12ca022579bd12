using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Engine;

/// <summary>
/// A linked compute program (one variant of a <c>.comp</c> file). Set uniforms by name, bind
/// buffers to binding points, then dispatch; a storage barrier follows every dispatch so the next
/// one sees the writes. Owned by the <see cref="ProgramCache"/>; do not dispose it yourself.
/// </summary>
public sealed class ComputeProgram
{
    private const int MaxBindings = 16;
    private readonly GpuContext _context;
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);
    private readonly uint[] _bindings = new uint[MaxBindings];
    private readonly uint[] _texelBuffers = new uint[GpuContext.TexelSlots];
    private readonly uint[] _texelFormats = new uint[GpuContext.TexelSlots];
    private uint _id;

    internal ComputeProgram(GpuContext context, uint id, string name, IReadOnlyDictionary<string, string> defines, bool fromBinary)
    {
        _context = context;
        _id = id;
        Name = name;
        Defines = defines;
        LoadedFromBinary = fromBinary;
        LocalSize = context.GL.GetComputeWorkGroupSize(id);
    }

    /// <summary>The main file, e.g. <c>conv2d_forward.comp</c>.</summary>
    public string Name { get; }
    public IReadOnlyDictionary<string, string> Defines { get; }
    /// <summary>The work-group size the shader declares.</summary>
    public (int X, int Y, int Z) LocalSize { get; }
    /// <summary>True when the program came from the on-disk binary cache instead of the compiler.</summary>
    public bool LoadedFromBinary { get; }

    public ComputeProgram Set(string uniform, int value)
    {
        int location = Location(uniform);
        if (location >= 0) _context.GL.ProgramUniform(_id, location, value);
        return this;
    }

    public ComputeProgram Set(string uniform, uint value)
    {
        int location = Location(uniform);
        if (location >= 0) _context.GL.ProgramUniform(_id, location, value);
        return this;
    }

    public ComputeProgram Set(string uniform, float value)
    {
        int location = Location(uniform);
        if (location >= 0) _context.GL.ProgramUniform(_id, location, value);
        return this;
    }

    public ComputeProgram Set(string uniform, float x, float y, float z)
    {
        int location = Location(uniform);
        if (location >= 0) _context.GL.ProgramUniform(_id, location, x, y, z);
        return this;
    }

    /// <summary>Binds <paramref name="buffer"/> to <c>layout(binding = <paramref name="binding"/>)</c> for the next dispatch.</summary>
    public ComputeProgram Bind(int binding, GpuBuffer buffer)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(binding, MaxBindings);
        _bindings[binding] = buffer.Id;
        return this;
    }

    public ComputeProgram Bind(int binding, Tensor tensor) => Bind(binding, tensor.Buffer);

    /// <summary>
    /// Binds <paramref name="buffer"/> as a buffer texture for the <c>samplerBuffer</c> uniform <paramref name="sampler"/>,
    /// in texel slot <paramref name="slot"/> (texture unit <see cref="GpuContext.TexelUnitBase"/> + slot) for the next
    /// dispatch: RGBA32F (texel i = elements 4i..4i+3) when <paramref name="vec4Texels"/>, else R32F (texel i = element i).
    /// See <see cref="GpuContext.UseTexelBufferLoads"/>.
    /// </summary>
    public ComputeProgram BindTexels(string sampler, int slot, GpuBuffer buffer, bool vec4Texels = true)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, GpuContext.TexelSlots);
        Set(sampler, GpuContext.TexelUnitBase + slot);
        _texelBuffers[slot] = buffer.Id;
        _texelFormats[slot] = vec4Texels ? GL.RGBA32F : GL.R32F;
        return this;
    }

    /// <summary>Runs <paramref name="x"/> x <paramref name="y"/> x <paramref name="z"/> work groups.</summary>
    public void Dispatch(int x, int y = 1, int z = 1)
    {
        _context.VerifyAccess();
        if (x <= 0 || y <= 0 || z <= 0) { Array.Clear(_bindings); Array.Clear(_texelBuffers); return; }
        GL gl = _context.GL;
        gl.UseProgram(_id);
        for (uint i = 0; i < MaxBindings; i++)
            if (_bindings[i] != 0) gl.BindBufferBase(GL.SHADER_STORAGE_BUFFER, i, _bindings[i]);
        if (Array.Exists(_texelBuffers, id => id != 0))
        {
            _context.AttachTexelBuffers(_texelBuffers, _texelFormats);
            Array.Clear(_texelBuffers);
        }
        gl.DispatchCompute((uint)x, (uint)y, (uint)z);
        gl.MemoryBarrier(GL.SHADER_STORAGE_BARRIER_BIT | GL.BUFFER_UPDATE_BARRIER_BIT | GL.TEXTURE_FETCH_BARRIER_BIT);
        Array.Clear(_bindings);
        _context.OnDispatch();
    }

    /// <summary>
    /// Runs at least <paramref name="invocations"/> invocations of a 1-D kernel. Counts beyond the
    /// driver's group limit spill into y; kernels read their index with <c>linear_index()</c> from
    /// <c>common.glsl</c> and return when it is past the end.
    /// </summary>
    public void DispatchLinear(long invocations)
    {
        long groups = (invocations + LocalSize.X - 1) / LocalSize.X;
        int maxX = Math.Max(1, Math.Min(_context.Device.MaxWorkGroupCountX, 65535));
        int x = (int)Math.Min(groups, maxX);
        int y = (int)((groups + maxX - 1) / maxX);
        Dispatch(x, Math.Max(1, y));
    }

    private int Location(string uniform)
    {
        ObjectDisposedException.ThrowIf(_id == 0, this);
        if (!_locations.TryGetValue(uniform, out int location))
        {
            // -1 when the compiler removed an unused uniform: setting it is then a no-op.
            location = _context.GL.GetUniformLocation(_id, uniform);
            _locations[uniform] = location;
        }
        return location;
    }

    internal void Delete()
    {
        if (_id == 0) return;
        _context.GL.DeleteProgram(_id);
        _id = 0;
    }
}
