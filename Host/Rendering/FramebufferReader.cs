using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Reads the current read framebuffer (a window's back buffer before the swap, or a bound
/// <see cref="OffscreenTarget"/>) back to the CPU as an upright <see cref="RgbImage"/>: the screenshot
/// mechanism of the app and its tests. Costs a GPU sync; not for every frame.
/// </summary>
public static class FramebufferReader
{
    /// <summary>
    /// The <paramref name="width"/> x <paramref name="height"/> pixels at the framebuffer's bottom-left corner,
    /// flipped from GL's bottom-up rows to top-down rows.
    /// </summary>
    public static RgbImage ReadRgb(GpuContext context, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        if (width < 1 || height < 1 || width > RgbImage.MaxSide || height > RgbImage.MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"Read-back size must be 1..{RgbImage.MaxSide} on each side; got {width}x{height}.");
        GL gl = context.GL;
        byte[] bottomUp = new byte[width * height * 3];
        int previousAlignment = gl.GetInteger(GL.PACK_ALIGNMENT);
        gl.PixelStore(GL.PACK_ALIGNMENT, 1);
        gl.ReadPixels(0, 0, width, height, GL.RGB, GL.UNSIGNED_BYTE, bottomUp);
        gl.PixelStore(GL.PACK_ALIGNMENT, previousAlignment);
        context.CheckError($"glReadPixels {width}x{height}");
        var image = new RgbImage(width, height, RgbColor.Black);
        for (int y = 0; y < height; y++)
        {
            int row = (height - 1 - y) * width * 3;
            for (int x = 0; x < width; x++)
            {
                int i = row + x * 3;
                image[x, y] = new RgbColor(bottomUp[i], bottomUp[i + 1], bottomUp[i + 2]);
            }
        }
        return image;
    }

    /// <summary>
    /// Reads the <paramref name="width"/> x <paramref name="height"/> pixels as packed BGR8 rows, top row first, into
    /// <paramref name="destination"/> (width*height*3 bytes, reused by the caller): the per-frame path of a video
    /// recorder, with no allocation and no per-pixel copy (GL converts to BGR; rows are flipped in place).
    /// </summary>
    public static void ReadBgr(GpuContext context, int width, int height, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.VerifyAccess();
        int rowBytes = width * 3;
        if (width < 1 || height < 1 || destination.Length < rowBytes * height)
            throw new ArgumentOutOfRangeException(nameof(destination), $"Read-back of {width}x{height} BGR needs {Math.Max(0, rowBytes * height)} bytes; got {destination.Length}.");
        GL gl = context.GL;
        int previousAlignment = gl.GetInteger(GL.PACK_ALIGNMENT);
        gl.PixelStore(GL.PACK_ALIGNMENT, 1);
        gl.ReadPixels(0, 0, width, height, GL.BGR, GL.UNSIGNED_BYTE, destination[..(rowBytes * height)]);
        gl.PixelStore(GL.PACK_ALIGNMENT, previousAlignment);
        context.CheckError($"glReadPixels BGR {width}x{height}");
        Span<byte> swap = rowBytes <= 16384 ? stackalloc byte[rowBytes] : new byte[rowBytes];
        for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
        {
            Span<byte> a = destination.Slice(top * rowBytes, rowBytes), b = destination.Slice(bottom * rowBytes, rowBytes);
            a.CopyTo(swap);
            b.CopyTo(a);
            swap.CopyTo(b);
        }
    }
}
