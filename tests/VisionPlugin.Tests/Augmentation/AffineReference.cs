using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>
/// The affine warp on the CPU with the kernel's formula: the map's coefficients rounded to float as uploaded,
/// sample points p = (ox + (i + 0.5)/taps, oy + (j + 0.5)/taps) mapped in float, s = q - 0.5, bilinear
/// (1-ay)((1-ax) v00 + ax v10) + ay((1-ax) v01 + ax v11) with the border mode per tap, mean over taps x taps.
/// </summary>
public static class AffineReference
{
    public static double[] Warp(float[] source, TensorShape input, TensorShape output, AffineMatrix[] maps, Border border, int[]? sources = null)
    {
        int c = input.C, h = input.H, w = input.W, oh = output.H, ow = output.W;
        var result = new double[output.ElementCount];
        for (int n = 0; n < output.N; n++)
        {
            AffineMatrix m = maps[n];
            float a = (float)m.A, b = (float)m.B, tx = (float)m.Tx, cc = (float)m.C, d = (float)m.D, ty = (float)m.Ty;
            int taps = AffineWarp.Taps(m), src = sources?[n] ?? n;
            float step = 1f / taps;
            for (int ch = 0; ch < c; ch++)
            {
                int basis = (src * c + ch) * h * w;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = 0;
                        for (int j = 0; j < taps; j++)
                            for (int i = 0; i < taps; i++)
                            {
                                float px = ox + (i + 0.5f) * step, py = oy + (j + 0.5f) * step;
                                float sx = a * px + b * py + tx - 0.5f, sy = cc * px + d * py + ty - 0.5f;
                                sum += Bilinear(source, basis, sx, sy, w, h, border);
                            }
                        result[((n * c + ch) * oh + oy) * ow + ox] = sum / (taps * taps);
                    }
            }
        }
        return result;
    }

    public static double Bilinear(float[] source, int basis, double sx, double sy, int w, int h, Border border)
    {
        double fx = Math.Floor(sx), fy = Math.Floor(sy);
        double ax = sx - fx, ay = sy - fy;
        int x0 = (int)fx, y0 = (int)fy;
        double Tap(int x, int y)
        {
            if (x < 0 || x >= w || y < 0 || y >= h)
            {
                if (border.Mode == BorderMode.Constant) return border.Fill;
                if (border.Mode == BorderMode.Reflect) { x = Reflect(x, w); y = Reflect(y, h); }
                else { x = Math.Clamp(x, 0, w - 1); y = Math.Clamp(y, 0, h - 1); }
            }
            return source[basis + y * w + x];
        }
        double top = Tap(x0, y0) * (1 - ax) + Tap(x0 + 1, y0) * ax;
        double bottom = Tap(x0, y0 + 1) * (1 - ax) + Tap(x0 + 1, y0 + 1) * ax;
        return top * (1 - ay) + bottom * ay;
    }

    /// <summary>OpenCV BORDER_REFLECT: ... c b a | a b c ...</summary>
    public static int Reflect(int i, int size)
    {
        if (i < 0) i = -1 - i;
        int m = i % (2 * size);
        return m < size ? m : 2 * size - 1 - m;
    }
}
