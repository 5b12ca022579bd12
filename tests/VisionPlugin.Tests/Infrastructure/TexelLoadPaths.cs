using VisionPlugin.Engine;

namespace VisionPlugin.Tests;

/// <summary>Runs a kernel check on both load paths: texel-buffer loads on, then off (<see cref="GpuContext.UseTexelBufferLoads"/>).</summary>
public static class TexelLoadPaths
{
    /// <summary>Calls <paramref name="check"/> with texel loads true then false, restoring the context's setting.</summary>
    public static void Both(GpuContext ctx, Action<bool> check)
    {
        bool original = ctx.UseTexelBufferLoads;
        try
        {
            foreach (bool texels in new[] { true, false })
            {
                ctx.UseTexelBufferLoads = texels;
                check(texels);
            }
        }
        finally
        {
            ctx.UseTexelBufferLoads = original;
        }
    }
}
