namespace VisionPlugin.Tests.TfJs;

/// <summary>An NHWC batch in double precision, as Keras sees it ([N,H,W,C]; vectors have H = W = 1).</summary>
public sealed record Nhwc(int N, int H, int W, int C, double[] Data)
{
    public static Nhwc Zeros(int n, int h, int w, int c) => new(n, h, w, c, new double[n * h * w * c]);

    public double this[int n, int y, int x, int c]
    {
        get => Data[((n * H + y) * W + x) * C + c];
        set => Data[((n * H + y) * W + x) * C + c] = value;
    }

    /// <summary>The same values in the engine's NCHW order, as float32 (what is uploaded).</summary>
    public float[] ToNchw()
    {
        var result = new float[Data.Length];
        for (int n = 0; n < N; n++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    for (int c = 0; c < C; c++)
                        result[((n * C + c) * H + y) * W + x] = (float)this[n, y, x, c];
        return result;
    }

    /// <summary>Keras' flatten: NHWC memory order is already (h, w, c) per sample.</summary>
    public Nhwc Flatten() => new(N, 1, 1, H * W * C, Data);
}

/// <summary>
/// A plain CPU reference of the Keras layers the importer maps, written directly from TensorFlow's definitions in
/// NHWC (kernels [KH,KW,C,K], depthwise [KH,KW,C,M], dense [in,out], SAME padding per TF's formula), independent of
/// the importer's layout conversions.
/// </summary>
public static class KerasReference
{
    /// <summary>TF SAME: out = ceil(in / s); total = max((out - 1) * s + (k - 1) * d + 1 - in, 0); before = total / 2.</summary>
    public static (int Before, int After) SamePads(int input, int kernel, int stride, int dilation = 1)
    {
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
        return (total / 2, total - total / 2);
    }

    public static Nhwc Pad(Nhwc x, int top, int bottom, int left, int right)
    {
        var y = Nhwc.Zeros(x.N, x.H + top + bottom, x.W + left + right, x.C);
        for (int n = 0; n < x.N; n++)
            for (int i = 0; i < x.H; i++)
                for (int j = 0; j < x.W; j++)
                    for (int c = 0; c < x.C; c++)
                        y[n, i + top, j + left, c] = x[n, i, j, c];
        return y;
    }

    /// <summary>Conv2D with groups: output channel k reads input channels of group k / (K / groups).</summary>
    public static Nhwc Conv(Nhwc x, float[] kernel, int kh, int kw, int filters, float[]? bias, int stride = 1, bool same = false,
        int dilation = 1, int groups = 1)
    {
        if (same) x = PadSame(x, kh, kw, stride, dilation);
        int cg = x.C / groups, kg = filters / groups;
        int oh = (x.H - (kh - 1) * dilation - 1) / stride + 1, ow = (x.W - (kw - 1) * dilation - 1) / stride + 1;
        var y = Nhwc.Zeros(x.N, oh, ow, filters);
        for (int n = 0; n < x.N; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int k = 0; k < filters; k++)
                    {
                        double sum = bias?[k] ?? 0;
                        int g = k / kg;
                        for (int u = 0; u < kh; u++)
                            for (int v = 0; v < kw; v++)
                                for (int c = 0; c < cg; c++)
                                    sum += x[n, i * stride + u * dilation, j * stride + v * dilation, g * cg + c] * kernel[((u * kw + v) * cg + c) * filters + k];
                        y[n, i, j, k] = sum;
                    }
        return y;
    }

    /// <summary>DepthwiseConv2D: output channel c*M + m = sum over taps of x[..., c] * kernel[u, v, c, m].</summary>
    public static Nhwc Depthwise(Nhwc x, float[] kernel, int kh, int kw, int multiplier, float[]? bias, int stride = 1, bool same = false)
    {
        if (same) x = PadSame(x, kh, kw, stride, 1);
        int oh = (x.H - kh) / stride + 1, ow = (x.W - kw) / stride + 1;
        var y = Nhwc.Zeros(x.N, oh, ow, x.C * multiplier);
        for (int n = 0; n < x.N; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int c = 0; c < x.C; c++)
                        for (int m = 0; m < multiplier; m++)
                        {
                            double sum = bias?[c * multiplier + m] ?? 0;
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                    sum += x[n, i * stride + u, j * stride + v, c] * kernel[((u * kw + v) * x.C + c) * multiplier + m];
                            y[n, i, j, c * multiplier + m] = sum;
                        }
        return y;
    }

    public static Nhwc BatchNorm(Nhwc x, float[]? gamma, float[]? beta, float[] mean, float[] variance, double epsilon) =>
        Map(x, (v, c) => (v - mean[c]) / Math.Sqrt(variance[c] + epsilon) * (gamma?[c] ?? 1) + (beta?[c] ?? 0));

    /// <summary>Average (padding excluded from the count, as TF) or max pooling, valid or SAME.</summary>
    public static Nhwc Pool(Nhwc x, int kh, int kw, int stride, bool same, bool max)
    {
        (int top, _) = same ? SamePads(x.H, kh, stride) : (0, 0);
        (int left, _) = same ? SamePads(x.W, kw, stride) : (0, 0);
        int oh = same ? (x.H + stride - 1) / stride : (x.H - kh) / stride + 1;
        int ow = same ? (x.W + stride - 1) / stride : (x.W - kw) / stride + 1;
        var y = Nhwc.Zeros(x.N, oh, ow, x.C);
        for (int n = 0; n < x.N; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int c = 0; c < x.C; c++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        int count = 0;
                        for (int u = 0; u < kh; u++)
                            for (int v = 0; v < kw; v++)
                            {
                                int r = i * stride + u - top, s = j * stride + v - left;
                                if (r < 0 || r >= x.H || s < 0 || s >= x.W) continue;
                                acc = max ? Math.Max(acc, x[n, r, s, c]) : acc + x[n, r, s, c];
                                count++;
                            }
                        y[n, i, j, c] = max ? acc : acc / count;
                    }
        return y;
    }

    public static Nhwc GlobalAverage(Nhwc x)
    {
        var y = Nhwc.Zeros(x.N, 1, 1, x.C);
        for (int n = 0; n < x.N; n++)
            for (int c = 0; c < x.C; c++)
            {
                double sum = 0;
                for (int i = 0; i < x.H; i++)
                    for (int j = 0; j < x.W; j++)
                        sum += x[n, i, j, c];
                y[n, 0, 0, c] = sum / (x.H * x.W);
            }
        return y;
    }

    /// <summary>Dense on a flattened input: y[n, o] = bias[o] + sum_i x[n, i] * kernel[i, o].</summary>
    public static Nhwc Dense(Nhwc x, float[] kernel, int units, float[]? bias)
    {
        int features = x.H * x.W * x.C;
        var y = Nhwc.Zeros(x.N, 1, 1, units);
        for (int n = 0; n < x.N; n++)
            for (int o = 0; o < units; o++)
            {
                double sum = bias?[o] ?? 0;
                for (int i = 0; i < features; i++) sum += x.Data[n * features + i] * kernel[i * units + o];
                y.Data[n * units + o] = sum;
            }
        return y;
    }

    /// <summary>Softmax over the last (channel) axis.</summary>
    public static Nhwc Softmax(Nhwc x)
    {
        var y = Nhwc.Zeros(x.N, x.H, x.W, x.C);
        for (int p = 0; p < x.N * x.H * x.W; p++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < x.C; c++) max = Math.Max(max, x.Data[p * x.C + c]);
            for (int c = 0; c < x.C; c++) sum += Math.Exp(x.Data[p * x.C + c] - max);
            for (int c = 0; c < x.C; c++) y.Data[p * x.C + c] = Math.Exp(x.Data[p * x.C + c] - max) / sum;
        }
        return y;
    }

    public static Nhwc Concat(Nhwc a, Nhwc b)
    {
        var y = Nhwc.Zeros(a.N, a.H, a.W, a.C + b.C);
        for (int n = 0; n < a.N; n++)
            for (int i = 0; i < a.H; i++)
                for (int j = 0; j < a.W; j++)
                {
                    for (int c = 0; c < a.C; c++) y[n, i, j, c] = a[n, i, j, c];
                    for (int c = 0; c < b.C; c++) y[n, i, j, a.C + c] = b[n, i, j, c];
                }
        return y;
    }

    public static Nhwc Zip(Nhwc a, Nhwc b, Func<double, double, double> f) =>
        a with { Data = a.Data.Zip(b.Data, f).ToArray() };

    public static Nhwc Map(Nhwc x, Func<double, double> f) => x with { Data = Array.ConvertAll(x.Data, v => f(v)) };

    /// <summary>Per-channel map: f(value, channel).</summary>
    public static Nhwc Map(Nhwc x, Func<double, int, double> f) => x with { Data = x.Data.Select((v, i) => f(v, i % x.C)).ToArray() };

    private static Nhwc PadSame(Nhwc x, int kh, int kw, int stride, int dilation)
    {
        var (top, bottom) = SamePads(x.H, kh, stride, dilation);
        var (left, right) = SamePads(x.W, kw, stride, dilation);
        return Pad(x, top, bottom, left, right);
    }
}
