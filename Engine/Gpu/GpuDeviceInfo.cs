using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Engine;

/// <summary>What the driver says about itself: names, version and the compute limits the engine respects.</summary>
public sealed record GpuDeviceInfo(
    string Vendor,
    string Renderer,
    string Version,
    string ShadingLanguageVersion,
    int MajorVersion,
    int MinorVersion,
    int MaxWorkGroupInvocations,
    int MaxWorkGroupCountX,
    int MaxSharedMemoryBytes,
    long MaxStorageBlockBytes)
{
    /// <summary>"vendor | renderer | version": the string the program-binary cache is keyed on.</summary>
    public string DriverString => $"{Vendor} | {Renderer} | {Version}";

    /// <summary>True for Mesa's CPU rasterizer (llvmpipe / softpipe), where register blocking pays and shared-memory tiling does not.</summary>
    public bool IsSoftwareRenderer => Renderer.Contains("llvmpipe", StringComparison.OrdinalIgnoreCase)
                                      || Renderer.Contains("softpipe", StringComparison.OrdinalIgnoreCase);

    internal static GpuDeviceInfo Query(GL gl)
    {
        string version = gl.GetString(GL.VERSION);
        int major = gl.GetInteger(GL.MAJOR_VERSION);
        int minor = gl.GetInteger(GL.MINOR_VERSION);
        // A pre-3.0 context leaves MAJOR_VERSION unset: fall back to the version string.
        if (major == 0 && version.Length >= 3 && char.IsDigit(version[0]))
        {
            major = version[0] - '0';
            minor = char.IsDigit(version[2]) ? version[2] - '0' : 0;
        }
        // Clear any error the queries above raised on an old context.
        while (gl.GetError() != GL.NO_ERROR) { }
        return new GpuDeviceInfo(
            gl.GetString(GL.VENDOR), gl.GetString(GL.RENDERER), version, gl.GetString(GL.SHADING_LANGUAGE_VERSION),
            major, minor,
            gl.GetInteger(GL.MAX_COMPUTE_WORK_GROUP_INVOCATIONS),
            gl.GetInteger(GL.MAX_COMPUTE_WORK_GROUP_COUNT, 0),
            gl.GetInteger(GL.MAX_COMPUTE_SHARED_MEMORY_SIZE),
            (uint)gl.GetInteger(GL.MAX_SHADER_STORAGE_BLOCK_SIZE));
    }
}
