using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Engine;

/// <summary>
/// An OpenGL 4.3+ context with compute shaders, either created headless through EGL
/// (<see cref="CreateHeadless"/>) or attached to a context a host already made current
/// (<see cref="Attach"/>: the host passes its proc-address loader, e.g. Silk.NET's
/// <c>window.GLContext.GetProcAddress</c> or <c>glfwGetProcAddress</c>).
/// Only the thread that created or attached the context may use it; every GPU object checks.
/// Ownership: a headless context owns its EGL display and context and destroys them on
/// <see cref="Dispose"/>; an attached context owns only the engine's own GL objects.
/// </summary>
public sealed class GpuContext : IDisposable
{
    private readonly int _threadId;
    private readonly HeadlessEglContext? _egl;
    private long _liveBufferCount;
    private long _liveBufferBytes;
    private long _dispatchCount, _readbackCount;
    private readonly Dictionary<string, GpuBuffer> _scratch = new(StringComparer.Ordinal);
    private readonly uint[] _texelTextures = new uint[TexelSlots];
    private bool _disposed;

    private GpuContext(Func<string, nint> getProcAddress, HeadlessEglContext? egl, GpuContextOptions options)
    {
        _threadId = Environment.CurrentManagedThreadId;
        _egl = egl;
        GL = new GL(getProcAddress);
        Device = GpuDeviceInfo.Query(GL);
        RequireCompute(Device);
        Options = options;
        Programs = new ProgramCache(this, options.ProgramBinaryCacheDirectory);
        MaxTexelBufferTexels = GL.GetInteger(GL.MAX_TEXTURE_BUFFER_SIZE);
        while (GL.GetError() != GL.NO_ERROR) { }
        UseTexelBufferLoads = Device.IsSoftwareRenderer && MaxTexelBufferTexels > 0;
        UseSharedMemoryGemm = SharedMemoryGemmRule(Device, Environment.GetEnvironmentVariable(GemmKernelVariable));
    }

    /// <summary>Environment variable overriding <see cref="UseSharedMemoryGemm"/>: <c>shared</c>, <c>registers</c> or <c>auto</c> (default).</summary>
    public const string GemmKernelVariable = "VISIONPLUGIN_GEMM";

    /// <summary>
    /// Kernel variant choice for GEMMs (hence 1x1 convolutions and Linear layers): true runs <c>matmul_shared.comp</c>
    /// (64 x 64 blocks staged through shared memory, the layout that pays on hardware GPUs), false the register-blocked
    /// <c>matmul.comp</c> with vec4 and texel loads that measured fastest on llvmpipe. Chosen by rule at start-up: shared
    /// memory on hardware renderers, registers on software ones; <see cref="GemmKernelVariable"/> overrides. Results agree
    /// to float rounding either way (the tests run both).
    /// </summary>
    public bool UseSharedMemoryGemm { get; set; }

    internal static bool SharedMemoryGemmRule(GpuDeviceInfo device, string? setting) => setting?.Trim().ToLowerInvariant() switch
    {
        "shared" => true,
        "registers" => false,
        null or "" or "auto" => !device.IsSoftwareRenderer,
        _ => throw new ArgumentException($"{GemmKernelVariable}={setting} is not one of shared, registers, auto."),
    };

    /// <summary>Texel slots a program can bind (<see cref="ComputeProgram.BindTexels"/>).</summary>
    public const int TexelSlots = 2;

    /// <summary>The first texture unit texel slots use (high units, so a host's usual units 0.. stay untouched).</summary>
    public const int TexelUnitBase = 14;

    /// <summary>GL_MAX_TEXTURE_BUFFER_SIZE: the most texels a buffer texture may address.</summary>
    public long MaxTexelBufferTexels { get; }

    /// <summary>
    /// Kernel variant choice: read vec4 operands through RGBA32F buffer textures instead of storage-buffer loads where a
    /// kernel offers it (matmul.comp, hence 1x1 convolutions). On llvmpipe a texel fetch is a vector gather while an SSBO
    /// load is a lane-by-lane loop (measured ~3x cheaper per float), so the default is on for software renderers and
    /// off for hardware GPUs, where storage loads are the native path. Results are the same either way (tests run both).
    /// </summary>
    public bool UseTexelBufferLoads { get; set; }

    /// <summary>True when <paramref name="buffer"/> fits one buffer texture of RGBA32F (or, when not <paramref name="vec4Texels"/>, R32F) texels.</summary>
    internal bool FitsTexelBuffer(GpuBuffer buffer, bool vec4Texels = true) =>
        (vec4Texels ? (buffer.ElementCount + 3) / 4 : buffer.ElementCount) <= MaxTexelBufferTexels;

    /// <summary>Attaches each non-zero buffer id to slot i's buffer texture (unit TexelUnitBase + i) in format i, keeping the host's active unit.</summary>
    internal void AttachTexelBuffers(ReadOnlySpan<uint> bufferIds, ReadOnlySpan<uint> formats)
    {
        int activeUnit = GL.GetInteger(GL.ACTIVE_TEXTURE);
        for (int slot = 0; slot < bufferIds.Length; slot++)
        {
            if (bufferIds[slot] == 0) continue;
            if (_texelTextures[slot] == 0) _texelTextures[slot] = GL.GenTexture();
            GL.ActiveTexture(GL.TEXTURE0 + (uint)(TexelUnitBase + slot));
            GL.BindTexture(GL.TEXTURE_BUFFER, _texelTextures[slot]);
            GL.TexBuffer(GL.TEXTURE_BUFFER, formats[slot], bufferIds[slot]);
        }
        GL.ActiveTexture((uint)activeUnit);
    }

    /// <summary>The GL entry points of this context. Use only on the context's thread.</summary>
    public GL GL { get; }

    /// <summary>The driver's names, version and limits.</summary>
    public GpuDeviceInfo Device { get; }

    /// <summary>The options the context was made with.</summary>
    public GpuContextOptions Options { get; }

    /// <summary>Compiled compute programs, keyed by shader name and defines.</summary>
    public ProgramCache Programs { get; }

    /// <summary>True when this context was created by the engine (EGL), false when attached to a host's.</summary>
    public bool IsHeadless => _egl is not null;

    /// <summary>Number of GPU buffers alive now (for leak checks in soak tests).</summary>
    public long LiveBufferCount => Interlocked.Read(ref _liveBufferCount);

    /// <summary>Bytes of GPU buffer storage alive now.</summary>
    public long LiveBufferBytes => Interlocked.Read(ref _liveBufferBytes);

    /// <summary>
    /// Creates a headless OpenGL 4.3 core context through EGL's surfaceless platform (no X, no
    /// window) and makes it current on the calling thread.
    /// </summary>
    /// <exception cref="GpuException">EGL is missing, or the driver lacks GL 4.3 compute shaders.</exception>
    public static GpuContext CreateHeadless(GpuContextOptions? options = null)
    {
        var egl = HeadlessEglContext.Create();
        try
        {
            return new GpuContext(Egl.GetProcAddress, egl, options ?? GpuContextOptions.Default);
        }
        catch
        {
            egl.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches to the OpenGL context that is current on the calling thread. The host keeps
    /// ownership of its context; the engine only creates and deletes its own objects in it.
    /// </summary>
    /// <param name="getProcAddress">The host's loader, e.g. <c>name => window.GLContext.GetProcAddress(name)</c>.</param>
    /// <param name="options">Program cache location and similar settings.</param>
    public static GpuContext Attach(Func<string, nint> getProcAddress, GpuContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(getProcAddress);
        return new GpuContext(getProcAddress, null, options ?? GpuContextOptions.Default);
    }

    /// <summary>Throws unless called on the thread that owns this context and the context is alive.</summary>
    public void VerifyAccess()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException(
                $"GPU context used from thread {Environment.CurrentManagedThreadId}; only its GL thread {_threadId} may touch GL.");
    }

    /// <summary>Waits until every command issued so far has finished on the GPU.</summary>
    public void Finish()
    {
        VerifyAccess();
        GL.Finish();
    }

    /// <summary>Raises <see cref="GpuException"/> if GL recorded an error; names the operation.</summary>
    public void CheckError(string operation)
    {
        uint error = GL.GetError();
        if (error != GL.NO_ERROR)
            throw new GpuException($"OpenGL error 0x{error:X4} after {operation} on '{Device.Renderer}'.");
    }

    /// <summary>
    /// A reusable scratch buffer for the named purpose, at least <paramref name="elementCount"/> long.
    /// Grows as needed and is owned by the context; valid until the next request for the same slot.
    /// </summary>
    public GpuBuffer Scratch(string slot, long elementCount)
    {
        VerifyAccess();
        if (_scratch.TryGetValue(slot, out GpuBuffer? buffer) && buffer.ElementCount >= elementCount) return buffer;
        buffer?.Dispose();
        buffer = new GpuBuffer(this, Math.Max(elementCount, 64));
        _scratch[slot] = buffer;
        return buffer;
    }

    /// <summary>Compute dispatches issued since the context was made (for dispatch-count reports).</summary>
    public long DispatchCount => _dispatchCount;

    internal void OnDispatch() => _dispatchCount++;

    /// <summary>Buffer read-backs (GPU to CPU copies, each a wait for the GPU) since the context was made; training steps make none.</summary>
    public long ReadbackCount => _readbackCount;

    internal void OnReadback() => _readbackCount++;

    internal void OnBufferCreated(long bytes)
    {
        Interlocked.Increment(ref _liveBufferCount);
        Interlocked.Add(ref _liveBufferBytes, bytes);
    }

    internal void OnBufferDeleted(long bytes)
    {
        Interlocked.Decrement(ref _liveBufferCount);
        Interlocked.Add(ref _liveBufferBytes, -bytes);
    }

    internal static void RequireCompute(GpuDeviceInfo device)
    {
        bool versionOk = device.MajorVersion > 4 || (device.MajorVersion == 4 && device.MinorVersion >= 3);
        if (!versionOk || device.MaxWorkGroupInvocations <= 0)
            throw new GpuException(
                $"VisionPlugin needs OpenGL 4.3 with compute shaders; the driver '{device.Renderer}' ({device.Vendor}) " +
                $"offers OpenGL {device.Version}" + (versionOk ? " without compute shaders." : "."));
    }

    /// <summary>Deletes the engine's programs; for a headless context also destroys the EGL context. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (Environment.CurrentManagedThreadId == _threadId)
        {
            foreach (GpuBuffer buffer in _scratch.Values) buffer.Dispose();
            foreach (uint texture in _texelTextures)
                if (texture != 0) GL.DeleteTexture(texture);
            _scratch.Clear();
            Programs.Dispose();
        }
        _disposed = true;
        _egl?.Dispose();
    }
}
