using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Max, average and Lp 2-D pooling proven three ways: GPU forward vs reference, GPU backward vs reference
/// (overwrite, then accumulate), reference backward vs central finite differences.
/// </summary>
[Collection("Gpu")]
public sealed class PoolingTests(GpuFixture gpu)
{
    private static readonly Pool2dOptions TfSame = new()
    {
        KernelH = 3, KernelW = 3, StrideH = 2, StrideW = 2, Padding = Padding2d.Same(9, 6, 3, 3, 2, 2),   // (t1,l0,b1,r1)
    };
    private static readonly Pool2dOptions Rect = new()
    {
        KernelH = 3, KernelW = 2, StrideH = 2, StrideW = 1, Padding = new Padding2d(1, 0, 0, 1),
    };

    /// <summary>(name, input shape, options) for max pooling.</summary>
    public static TheoryData<string, int[], Pool2dOptions> MaxCases => new()
    {
        { "2x2 stride 2", [2, 3, 7, 5], Pool2dOptions.Create(2) },
        { "3x3 stride 2 overlapping (AlexNet)", [2, 3, 7, 5], Pool2dOptions.Create(3, 2) },
        { "3x3 stride 2 pad 1 (ResNet)", [1, 2, 9, 6], Pool2dOptions.Create(3, 2, 1) },
        { "3x3 stride 2 TF-same asymmetric pad", [1, 2, 9, 6], TfSame },
        { "3x2 stride 2x1 pad (t1,l0,b0,r1)", [2, 3, 7, 5], Rect },
        { "3x3 stride 2 ceil", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, ceilMode: true) },
        { "3x3 stride 2 pad 1 ceil", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, 1, ceilMode: true) },
        { "2x2 stride 2 pad 1 ceil (last window dropped)", [1, 2, 5, 5], Pool2dOptions.Create(2, 2, 1, ceilMode: true) },
        { "3x3 dilation 2 pad 2", [1, 2, 9, 6], Pool2dOptions.Create(3, 1, 2, dilation: 2) },
        { "2x2 dilation 2 stride 2 ceil", [2, 3, 8, 5], Pool2dOptions.Create(2, 2, dilation: 2, ceilMode: true) },
        { "1x1 stride 2", [1, 3, 5, 4], Pool2dOptions.Create(1, 2) },
        { "3x3 pad 2 (beyond PyTorch's k/2)", [1, 1, 6, 6], Pool2dOptions.Create(3, 1, 2) },
    };

    /// <summary>(name, input shape, options) for average pooling.</summary>
    public static TheoryData<string, int[], Pool2dOptions> AvgCases => new()
    {
        { "2x2 stride 2", [2, 3, 7, 5], Pool2dOptions.Create(2) },
        { "3x3 stride 2 overlapping", [2, 3, 7, 5], Pool2dOptions.Create(3, 2) },
        { "3x3 stride 2 pad 1 include pad", [1, 2, 9, 6], Pool2dOptions.Create(3, 2, 1) },
        { "3x3 stride 2 pad 1 exclude pad", [1, 2, 9, 6], Pool2dOptions.Create(3, 2, 1, countIncludePad: false) },
        { "TF-same asymmetric include pad", [1, 2, 9, 6], TfSame },
        { "TF-same asymmetric exclude pad", [1, 2, 9, 6], TfSame with { CountIncludePad = false } },
        { "3x3 stride 2 ceil", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, ceilMode: true, countIncludePad: false) },
        { "3x3 stride 2 pad 1 ceil include pad", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, 1, ceilMode: true) },
        { "3x3 stride 2 pad 1 ceil exclude pad", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, 1, ceilMode: true, countIncludePad: false) },
        { "2x2 stride 2 pad 1 ceil (last window dropped)", [1, 2, 5, 5], Pool2dOptions.Create(2, 2, 1, ceilMode: true) },
        { "3x2 stride 2x1 pad (t1,l0,b0,r1) exclude pad", [2, 3, 7, 5], Rect with { CountIncludePad = false } },
        { "3x3 pad 2 include pad", [1, 1, 6, 6], Pool2dOptions.Create(3, 1, 2) },
        { "7x7 window over the whole 7x7 plane (global-average kernels)", [3, 5, 7, 7], Pool2dOptions.Create(7) },
        { "9x13 window over the whole plane, ceil mode (global-average kernels)", [2, 3, 9, 13],
            new Pool2dOptions { KernelH = 9, KernelW = 13, StrideH = 2, StrideW = 3, CeilMode = true } },
    };

    /// <summary>(name, input shape, options, p) for Lp pooling.</summary>
    public static TheoryData<string, int[], Pool2dOptions, float> LpCases => new()
    {
        { "L2 2x2 stride 2", [2, 3, 7, 5], Pool2dOptions.Create(2), 2f },
        { "L2 3x3 stride 2 pad 1", [1, 2, 9, 6], Pool2dOptions.Create(3, 2, 1), 2f },
        { "L3 3x3 stride 2 overlapping", [2, 3, 7, 5], Pool2dOptions.Create(3, 2), 3f },
        { "L1 TF-same asymmetric pad", [1, 2, 9, 6], TfSame, 1f },
        { "L2.5 3x3 stride 2 pad 1 ceil", [1, 2, 8, 6], Pool2dOptions.Create(3, 2, 1, ceilMode: true), 2.5f },
        { "L2 3x3 dilation 2 pad 2", [1, 2, 9, 6], Pool2dOptions.Create(3, 1, 2, dilation: 2), 2f },
    };

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void MaxPool2d_forward_argmax_and_backward_match_reference_on_gpu(string name, int[] inDims, Pool2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = MaxPool2d.OutputShape(xs, options);
        double[] x = TestData.RoundToFloat(TestData.Distinct(21, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(22, ys.ElementCount));
        string parameters = $"{name}; {options}";
        var (yRef, argmaxRef) = PoolingReference.MaxForward(x, xs, options);
        double[] dxRef = PoolingReference.MaxBackward(x, xs, dy, options);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var argmax = new GpuBuffer(ctx, ys.ElementCount);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            MaxPool2d.Forward(xt, yt, null, options);   // inference: no argmax
            TensorAssert.Close("MaxPool2d forward (no argmax)", parameters, ys, yRef, yt.ToArray(), atol: 0, rtol: 0);
            yt.Fill(-5f);
            MaxPool2d.Forward(xt, yt, argmax, options);
            TensorAssert.Close("MaxPool2d forward", parameters, ys, yRef, yt.ToArray(), atol: 0, rtol: 0);
            TensorAssert.Close("MaxPool2d argmax", parameters, ys, ToDouble(argmaxRef), ToDouble(Download(argmax)), atol: 0, rtol: 0);

            dxt.Fill(123f); // overwritten, not accumulated
            MaxPool2d.Backward(dyt, argmax, dxt, options);
            TensorAssert.Close("MaxPool2d backward", parameters, xs, dxRef, dxt.ToArray());
            MaxPool2d.Backward(dyt, argmax, dxt, options, accumulate: true);
            TensorAssert.Close("MaxPool2d backward (accumulated twice)", parameters, xs, Scale(dxRef, 2), dxt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void MaxPool2d_reference_backward_matches_finite_differences(string name, int[] inDims, Pool2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = MaxPool2d.OutputShape(xs, options);
        double[] x = TestData.Distinct(31, xs.ElementCount);   // no ties: max is differentiable there
        double[] dy = TestData.Uniform(32, ys.ElementCount);
        FiniteDifference.Check("MaxPool2d", $"{name}; {options}", "input", xs,
            v => PoolingReference.MaxForward(v, xs, options).Y, x, dy, PoolingReference.MaxBackward(x, xs, dy, options));
    }

    [Theory]
    [MemberData(nameof(AvgCases))]
    public void AvgPool2d_forward_and_backward_match_reference_on_gpu(string name, int[] inDims, Pool2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = AvgPool2d.OutputShape(xs, options);
        double[] x = TestData.RoundToFloat(TestData.Uniform(41, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(42, ys.ElementCount));
        string parameters = $"{name}; {options}";
        double[] yRef = PoolingReference.AvgForward(x, xs, options);
        double[] dxRef = PoolingReference.AvgBackward(xs, dy, options);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            AvgPool2d.Forward(xt, yt, options);
            TensorAssert.Close("AvgPool2d forward", parameters, ys, yRef, yt.ToArray());

            dxt.Fill(123f);
            AvgPool2d.Backward(dyt, dxt, options);
            TensorAssert.Close("AvgPool2d backward", parameters, xs, dxRef, dxt.ToArray());
            AvgPool2d.Backward(dyt, dxt, options, accumulate: true);
            TensorAssert.Close("AvgPool2d backward (accumulated twice)", parameters, xs, Scale(dxRef, 2), dxt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(AvgCases))]
    public void AvgPool2d_reference_backward_matches_finite_differences(string name, int[] inDims, Pool2dOptions options)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = AvgPool2d.OutputShape(xs, options);
        double[] x = TestData.Uniform(51, xs.ElementCount);
        double[] dy = TestData.Uniform(52, ys.ElementCount);
        FiniteDifference.Check("AvgPool2d", $"{name}; {options}", "input", xs,
            v => PoolingReference.AvgForward(v, xs, options), x, dy, PoolingReference.AvgBackward(xs, dy, options));
    }

    [Theory]
    [MemberData(nameof(LpCases))]
    public void LpPool2d_forward_and_backward_match_reference_on_gpu(string name, int[] inDims, Pool2dOptions options, float p)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = LpPool2d.OutputShape(xs, options);
        double[] x = TestData.RoundToFloat(TestData.AwayFromZero(61, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(62, ys.ElementCount));
        string parameters = $"{name}; p {p}; {options}";
        double[] yRef = PoolingReference.LpForward(x, xs, options, p);
        double[] dxRef = PoolingReference.LpBackward(x, xs, dy, options, p);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);

            LpPool2d.Forward(xt, yt, options, p);
            TensorAssert.Close("LpPool2d forward", parameters, ys, yRef, yt.ToArray());

            dxt.Fill(123f);
            LpPool2d.Backward(xt, yt, dyt, dxt, options, p);
            TensorAssert.Close("LpPool2d backward", parameters, xs, dxRef, dxt.ToArray());
            LpPool2d.Backward(xt, yt, dyt, dxt, options, p, accumulate: true);
            TensorAssert.Close("LpPool2d backward (accumulated twice)", parameters, xs, Scale(dxRef, 2), dxt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(LpCases))]
    public void LpPool2d_reference_backward_matches_finite_differences(string name, int[] inDims, Pool2dOptions options, float p)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = LpPool2d.OutputShape(xs, options);
        double[] x = TestData.AwayFromZero(71, xs.ElementCount);   // |x| and sign(x) are smooth away from 0
        double[] dy = TestData.Uniform(72, ys.ElementCount);
        FiniteDifference.Check("LpPool2d", $"{name}; p {p}; {options}", "input", xs,
            v => PoolingReference.LpForward(v, xs, options, p), x, dy, PoolingReference.LpBackward(x, xs, dy, options, p));
    }

    internal static int[] Download(GpuBuffer buffer)
    {
        var values = new int[buffer.ElementCount];
        buffer.Download<int>(values);
        return values;
    }

    internal static double[] ToDouble(int[] values) => Array.ConvertAll(values, v => (double)v);

    private static double[] Scale(double[] values, double factor) => Array.ConvertAll(values, v => v * factor);
}
