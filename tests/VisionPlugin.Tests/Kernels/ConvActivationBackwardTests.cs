using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// <see cref="Conv2d.BackwardInputThroughActivation"/>: the backward-input kernels with the activation derivative in their
/// epilogue (conv_epilogue.glsl, EPILOGUE 2), on every backward-input path (pointwise GEMM, pointwise with samples side
/// by side, depthwise 3x3 stride 2, rotated forward on the depthwise / direct / Winograd kernels, the gather kernel), and
/// the average pools' <see cref="GlobalPool.AverageBackwardThroughActivation"/> and <see cref="AvgPool2d.BackwardThroughActivation"/>.
/// Three ways: fused GPU == unfused GPU (<see cref="Conv2d.BackwardInput(Tensor, Tensor, Tensor, Conv2dOptions, bool)"/>
/// then <see cref="Activation.Backward"/>) exactly; fused GPU vs the C# reference; the mask read from the output vs the
/// activation's derivative read from its input, on boundary values.
/// </summary>
[Collection("Gpu")]
public sealed class ConvActivationBackwardTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, output channels, kernel, options): one per backward-input path.</summary>
    public static TheoryData<string, int[], int, int, Conv2dOptions> Convolutions => new()
    {
        { "1x1 vec4 pixels (GEMM)", [2, 9, 4, 8], 12, 1, Conv2dOptions.Default },
        { "1x1 odd pixels 7x7 batch 3 (scalar GEMM)", [3, 10, 7, 7], 13, 1, Conv2dOptions.Default },
        { "1x1 7x7 batch 4 (samples side by side)", [4, 6, 7, 7], 9, 1, Conv2dOptions.Default },
        { "depthwise 3x3 stride 1 (rotated depthwise forward)", [2, 5, 7, 6], 5, 3, Conv2dOptions.Create(padding: 1, groups: 5) },
        { "depthwise 3x3 stride 2 TF-same (parity kernel)", [2, 3, 9, 11], 3, 3, new Conv2dOptions { StrideH = 2, StrideW = 2, Groups = 3, Padding = new Padding2d(0, 0, 1, 1) } },
        { "3x3 pad 1 groups 3 (rotated direct forward)", [2, 6, 7, 5], 9, 3, Conv2dOptions.Create(padding: 1, groups: 3) },
        { "3x3 pad 1 64->64 (rotated Winograd)", [1, 64, 5, 7], 64, 3, Conv2dOptions.Create(padding: 1) },
        { "3x3 stride 2 (gather kernel)", [2, 3, 7, 5], 5, 3, Conv2dOptions.Create(stride: 2, padding: 1) },
    };

    /// <summary>The fusable activations: ReLU, ReLU6, Clip with bounds of both signs.</summary>
    private static ActivationOptions ActivationNamed(string name) => name switch
    {
        "relu" => ActivationOptions.Relu(),
        "relu6" => ActivationOptions.Relu6(),
        _ => ActivationOptions.Clip(-0.5f, 0.75f),
    };

    /// <summary>
    /// Pre-activations z spread over [lo - 1, hi + 1] (ReLU: [-1, 2]) with every 5th exactly lo, every 7th exactly hi,
    /// every 11th -0.0: the gradient must stop at both bounds as it does in the activation's own backward pass.
    /// </summary>
    private static float[] PreActivations(ActivationOptions options, int count, int seed)
    {
        float lo = options.Kind == ActivationKind.Relu ? 0f : options.Min;
        float hi = options.Kind == ActivationKind.Relu ? 1f : options.Max;
        float[] z = TestData.ToFloat(TestData.Uniform(seed, count, lo - 1, hi + 1));
        for (int i = 0; i < count; i++)
        {
            if (i % 5 == 0) z[i] = lo;
            else if (i % 7 == 0) z[i] = hi;
            else if (i % 11 == 0) z[i] = -0f;
        }
        return z;
    }

    [Fact]
    public void Mask_read_from_the_output_equals_the_activation_derivative_read_from_the_input()
    {
        float[] boundaries = [0f, -0f, 6f, -0.5f, 0.75f, 1e-30f, -1e-30f, 5.9999995f, 6.0000005f, -0.50000006f, 0.7499999f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, 3f, -3f, float.MaxValue, float.Epsilon];
        foreach (string name in new[] { "relu", "relu6", "clip" })
        {
            ActivationOptions options = ActivationNamed(name);
            Assert.True(ActivationDerivativeMask.TryFor(options, out ActivationDerivativeMask mask));
            double[] z = Array.ConvertAll(boundaries, v => (double)v);
            double[] a = ActivationReference.Forward(z, options, training: true);
            for (int i = 0; i < z.Length; i++)
            {
                double expected = ActivationReference.Derivative(z[i], i, options, training: true);
                float actual = mask.Slope((float)a[i]);
                Assert.True(expected == actual, $"{options} mask at z = {z[i]:G9} (a = {a[i]:G9}): expected slope {expected}, actual {actual}.");
            }
        }
        foreach (ActivationKind kind in Enum.GetValues<ActivationKind>())
            if (kind is not (ActivationKind.Relu or ActivationKind.Relu6 or ActivationKind.Clip))
                Assert.False(ActivationDerivativeMask.TryFor(ActivationOptions.For(kind), out _), $"{kind} must not be fused: its derivative is not a clamp mask of its output.");
    }

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Fused_backward_input_equals_backward_input_then_activation_backward(string name, int[] inDims, int outChannels, int kernel, Conv2dOptions options)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, inDims[1] / options.Groups, kernel, kernel);
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        float[] w = TestData.ToFloat(TestData.Uniform(2, ws.ElementCount));
        float[] dy = TestData.ToFloat(TestData.Uniform(4, ys.ElementCount));
        foreach (string activationName in new[] { "relu", "relu6", "clip" })
        {
            ActivationOptions activation = ActivationNamed(activationName);
            Assert.True(ActivationDerivativeMask.TryFor(activation, out ActivationDerivativeMask mask));
            float[] z = PreActivations(activation, xs.ElementCount, seed: 7);
            double[] a = ActivationReference.Forward(Array.ConvertAll(z, v => (double)v), activation, training: true);
            var (dxRef, _, _) = Conv2dReference.Backward(a, xs, Array.ConvertAll(w, v => (double)v), ws, Array.ConvertAll(dy, v => (double)v), options);
            double[] dzRef = dxRef.Select((v, i) => v * mask.Slope((float)a[i])).ToArray();

            gpu.Run(ctx => TexelLoadPaths.Both(ctx, texels =>
            {
                string where = $"{name}; {activation}; weight {ws}; {options}; texel loads {texels}";
                using var zt = Tensor.FromData(ctx, xs, z);
                using var at = new Tensor(ctx, xs);
                using var wt = Tensor.FromData(ctx, ws, w);
                using var dyt = Tensor.FromData(ctx, ys, dy);
                using var dxt = new Tensor(ctx, xs);
                using var unfused = new Tensor(ctx, xs);
                using var fused = new Tensor(ctx, xs);
                Activation.Forward(zt, at, activation, training: true);

                Conv2d.BackwardInput(dyt, wt, dxt, options);
                Activation.Backward(zt, at, dxt, unfused, activation, training: true);
                fused.Fill(123f);   // overwritten, not accumulated
                Conv2d.BackwardInputThroughActivation(dyt, wt, fused, options, at, mask);
                float[] expected = unfused.ToArray(), actual = fused.ToArray();
                AssertSame("Conv2d backward input through activation vs unfused", where, xs, expected, actual);
                TensorAssert.Close("Conv2d backward input through activation vs reference", where, xs, dzRef, actual);

                // accumulate: only the new term is masked, what gradInput held is kept.
                Conv2d.BackwardInputThroughActivation(dyt, wt, fused, options, at, mask, accumulate: true);
                TensorAssert.Close("Conv2d backward input through activation (accumulated)", where, xs,
                    expected.Select(v => 2.0 * v).ToArray(), fused.ToArray());
            }));
        }
    }

    /// <summary>(name, input shape, pool options or null for global average pooling).</summary>
    public static TheoryData<string, int[], Pool2dOptions?> Pools => new()
    {
        { "global average", [3, 5, 7, 3], null },
        { "average 3x3 stride 2 pad 1", [2, 3, 9, 7], Pool2dOptions.Create(3, stride: 2, padding: 1) },
        { "average 7x7 (MobileNetV2 head)", [2, 4, 7, 7], Pool2dOptions.Create(7) },
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void Average_pool_backward_through_activation_equals_pool_backward_then_activation_backward(string name, int[] inDims, Pool2dOptions? pool)
    {
        var xs = new TensorShape(inDims);
        TensorShape ys = pool is null ? GlobalPool.OutputShape(xs) : AvgPool2d.OutputShape(xs, pool);
        float[] dy = TestData.ToFloat(TestData.Uniform(4, ys.ElementCount));
        foreach (string activationName in new[] { "relu", "relu6", "clip" })
        {
            ActivationOptions activation = ActivationNamed(activationName);
            Assert.True(ActivationDerivativeMask.TryFor(activation, out ActivationDerivativeMask mask));
            float[] z = PreActivations(activation, xs.ElementCount, seed: 9);
            gpu.Run(ctx =>
            {
                string where = $"{name}; {activation}";
                using var zt = Tensor.FromData(ctx, xs, z);
                using var at = new Tensor(ctx, xs);
                using var dyt = Tensor.FromData(ctx, ys, dy);
                using var dxt = new Tensor(ctx, xs);
                using var unfused = new Tensor(ctx, xs);
                using var fused = new Tensor(ctx, xs);
                Activation.Forward(zt, at, activation, training: true);
                void Fused(bool accumulate)
                {
                    if (pool is null) GlobalPool.AverageBackwardThroughActivation(dyt, fused, at, mask, accumulate);
                    else AvgPool2d.BackwardThroughActivation(dyt, fused, pool, at, mask, accumulate);
                }
                if (pool is null) GlobalPool.AverageBackward(dyt, dxt);
                else AvgPool2d.Backward(dyt, dxt, pool);
                // Reference: the pool's own (already proven) input gradient times the mask read from the output.
                float[] a = at.ToArray(), dx = dxt.ToArray();
                double[] dzRef = dx.Select((v, i) => v * (double)mask.Slope(a[i])).ToArray();
                Activation.Backward(zt, at, dxt, unfused, activation, training: true);
                fused.Fill(123f);
                Fused(accumulate: false);
                float[] expected = unfused.ToArray(), actual = fused.ToArray();
                AssertSame("Average pool backward through activation vs unfused", where, xs, expected, actual);
                TensorAssert.Close("Average pool backward through activation vs reference", where, xs, dzRef, actual);
                Fused(accumulate: true);
                TensorAssert.Close("Average pool backward through activation (accumulated)", where, xs,
                    expected.Select(v => 2.0 * v).ToArray(), fused.ToArray());
            });
        }
    }

    /// <summary>Bitwise equal up to the sign of zero; the message names the op, shape, first index, expected and actual.</summary>
    internal static void AssertSame(string op, string parameters, TensorShape shape, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = expected[i] == actual[i] || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            if (!same)
                Assert.Fail($"{op} ({parameters}) shape {shape}: first mismatch at flat index {i} {TensorAssert.MultiIndex(shape, i)}: " +
                            $"expected {expected[i]:G9}, actual {actual[i]:G9}.");
        }
    }
}
