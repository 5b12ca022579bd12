using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Host.Rendering;

/// <summary>The fixed-function state the 2D renderers need, set in one place before they draw.</summary>
internal static class RenderState
{
    /// <summary>
    /// Viewport over the whole target, no depth test, no culling, no scissor, and either straight-alpha blending
    /// (colour = src*a + dst*(1-a); destination alpha kept opaque) or none.
    /// </summary>
    public static void Prepare2D(GL gl, int targetWidth, int targetHeight, bool blend)
    {
        gl.Viewport(0, 0, targetWidth, targetHeight);
        gl.Disable(GL.DEPTH_TEST);
        gl.Disable(GL.CULL_FACE);
        gl.Disable(GL.SCISSOR_TEST);
        if (blend)
        {
            gl.Enable(GL.BLEND);
            gl.BlendFuncSeparate(GL.SRC_ALPHA, GL.ONE_MINUS_SRC_ALPHA, GL.ONE, GL.ONE_MINUS_SRC_ALPHA);
        }
        else
        {
            gl.Disable(GL.BLEND);
        }
    }

    public static void RequireTargetSize(int targetWidth, int targetHeight)
    {
        if (targetWidth < 1 || targetHeight < 1)
            throw new ArgumentOutOfRangeException(nameof(targetWidth), $"Render target size must be positive; got {targetWidth}x{targetHeight}.");
    }
}
