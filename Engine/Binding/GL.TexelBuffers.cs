namespace VisionPlugin.Engine.Binding;

/// <summary>
/// Buffer textures (core since GL 3.1): a compute kernel reads a storage buffer as <c>samplerBuffer</c> through
/// <c>texelFetch</c>. On llvmpipe a texel fetch is a vector gather, about three times cheaper than its lane-by-lane
/// SSBO loads (see <see cref="GpuContext.UseTexelBufferLoads"/>). Same rules as the rest: GL thread only.
/// </summary>
public sealed unsafe partial class GL
{
    public const uint TEXTURE_BUFFER = 0x8C2A;
    public const uint MAX_TEXTURE_BUFFER_SIZE = 0x8C2B;
    public const uint RGBA32F = 0x8814;
    public const uint TEXTURE_FETCH_BARRIER_BIT = 0x00000008;

    private delegate* unmanaged<uint, uint, uint, void> _texBuffer;

    private void LoadTexelBufferEntryPoints(Func<string, nint> load) =>
        _texBuffer = (delegate* unmanaged<uint, uint, uint, void>)load("glTexBuffer");

    /// <summary>glTexBuffer: attaches <paramref name="buffer"/>'s whole store to the buffer texture bound to <paramref name="target"/>.</summary>
    public void TexBuffer(uint target, uint internalFormat, uint buffer) => _texBuffer(target, internalFormat, buffer);
}
