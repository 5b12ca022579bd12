using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// Pad2d in double precision, from the definition: output (oy, ox) reads input (oy - top, ox - left) when inside;
/// outside, constant mode reads the value, reflect mirrors about the edge element (numpy "reflect"), edge clamps.
/// Backward scatters each output gradient to the input it read (the GPU gathers).
/// </summary>
public static class PadReference
{
    public static double[] Forward(double[] x, TensorShape xs, Pad2dOptions o)
    {
        TensorShape ys = Pad2d.OutputShape(xs, o);
        var y = new double[ys.ElementCount];
        Visit(xs, ys, o, (yi, xi) => y[yi] = xi < 0 ? o.Value : x[xi]);
        return y;
    }

    public static double[] Backward(TensorShape xs, double[] dy, Pad2dOptions o)
    {
        TensorShape ys = Pad2d.OutputShape(xs, o);
        var dx = new double[xs.ElementCount];
        // y[yi] = x[xi]  =>  dx[xi] += dy[yi]; constant positions (xi < 0) have no input.
        Visit(xs, ys, o, (yi, xi) =>
        {
            if (xi >= 0) dx[xi] += dy[yi];
        });
        return dx;
    }

    /// <summary>Calls <paramref name="read"/>(outputIndex, inputIndex or -1 for the constant) for every output.</summary>
    private static void Visit(TensorShape xs, TensorShape ys, Pad2dOptions o, Action<int, int> read)
    {
        for (int plane = 0; plane < ys.N * ys.C; plane++)
            for (int oy = 0; oy < ys.H; oy++)
                for (int ox = 0; ox < ys.W; ox++)
                {
                    int iy = Source(oy - o.Padding.Top, xs.H, o.Mode);
                    int ix = Source(ox - o.Padding.Left, xs.W, o.Mode);
                    int yi = (plane * ys.H + oy) * ys.W + ox;
                    read(yi, iy < 0 || ix < 0 ? -1 : (plane * xs.H + iy) * xs.W + ix);
                }
    }

    /// <summary>Input index for position r relative to the input's start, or -1 (constant).</summary>
    private static int Source(int r, int size, PadMode mode)
    {
        if (r >= 0 && r < size) return r;
        return mode switch
        {
            PadMode.Constant => -1,
            PadMode.Edge => r < 0 ? 0 : size - 1,
            // Mirror about element 0 or element size-1: distance past the edge, counted back from it.
            PadMode.Reflect => r < 0 ? -r : (size - 1) - (r - (size - 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }
}
