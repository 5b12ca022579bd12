using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// The 1x1 convolution paths on the shared-memory GEMM (<see cref="GpuContext.UseSharedMemoryGemm"/>, what hardware
/// renderers run) against the register-blocked GEMM (verified against the C# reference by the conv tests): forward with
/// bias, the fused inference epilogue (clamp + residual), backward-weight (batch summed inside the GEMM or samples side by
/// side), backward-input, and backward-input through a ReLU6 derivative (EPILOGUE 2).
/// </summary>
[Collection("Gpu")]
public sealed class SharedMemoryGemmConvTests(GpuFixture gpu)
{
    /// <summary>(input shape, output channels): per-sample GEMMs (P = 35) and samples side by side (P = 9, N*P = 36).</summary>
    public static TheoryData<int[], int> Cases => new()
    {
        { [2, 12, 5, 7], 10 },
        { [4, 6, 3, 3], 70 },
        { [1, 67, 9, 9], 65 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pointwise_convolution_on_the_shared_memory_gemm_equals_the_register_blocked_gemm(int[] inDims, int outChannels)
    {
        var xs = new TensorShape(inDims);
        var ws = new TensorShape(outChannels, xs.C, 1, 1);
        Conv2dOptions options = Conv2dOptions.Create();
        TensorShape ys = Conv2d.OutputShape(xs, ws, options);
        Assert.True(ActivationDerivativeMask.TryFor(new ActivationOptions { Kind = ActivationKind.Relu6 }, out ActivationDerivativeMask relu6));
        gpu.Run(ctx =>
        {
            float[] Data(int seed, int count, double scale = 1) => TestData.ToFloat(TestData.Uniform(seed, count).Select(v => v * scale).ToArray());
            using var x = Tensor.FromData(ctx, xs, Data(1, xs.ElementCount, 4)); // [-4, 4): some inputs sit outside ReLU6's (0, 6)
            using var w = Tensor.FromData(ctx, ws, Data(2, ws.ElementCount));
            using var bias = Tensor.FromData(ctx, new TensorShape(outChannels), Data(3, outChannels));
            using var residual = Tensor.FromData(ctx, ys, Data(4, ys.ElementCount));
            using var dy = Tensor.FromData(ctx, ys, Data(5, ys.ElementCount));
            using var y = new Tensor(ctx, ys);
            using var dw = new Tensor(ctx, ws);
            using var dx = new Tensor(ctx, xs);

            float[][] Run(bool sharedMemory)
            {
                bool configured = ctx.UseSharedMemoryGemm;
                ctx.UseSharedMemoryGemm = sharedMemory;
                try
                {
                    var results = new List<float[]>();
                    Conv2d.Forward(x, w, bias, y, options);
                    results.Add(y.ToArray());
                    Conv2d.ForwardFused(x, w, bias, y, options, new ConvEpilogue(0f, 6f, residual));
                    results.Add(y.ToArray());
                    Conv2d.BackwardWeight(x, dy, dw, options, accumulate: false);
                    results.Add(dw.ToArray());
                    Conv2d.BackwardInput(dy, w, dx, options);
                    results.Add(dx.ToArray());
                    Conv2d.BackwardInputThroughActivation(dy, w, dx, options, x, relu6);
                    results.Add(dx.ToArray());
                    return [.. results];
                }
                finally
                {
                    ctx.UseSharedMemoryGemm = configured;
                }
            }

            float[][] registers = Run(sharedMemory: false), shared = Run(sharedMemory: true);
            string[] names = ["forward + bias", "fused forward (ReLU6, residual)", "backward-weight", "backward-input", "backward-input through ReLU6"];
            TensorShape[] shapes = [ys, ys, ws, xs, xs];
            for (int i = 0; i < names.Length; i++)
                TensorAssert.Close($"Pointwise conv {names[i]}, shared-memory vs register-blocked GEMM", $"input {xs}, {outChannels} outputs",
                    shapes[i], registers[i].Select(v => (double)v).ToArray(), shared[i], 1e-5, 1e-5);
        });
    }
}

/// <summary>The start-up rule that picks the GEMM variant, and its environment override.</summary>
public sealed class GemmKernelRuleTests
{
    private static GpuDeviceInfo Device(string renderer) => new("Mesa", renderer, "4.5", "4.50", 4, 5, 1024, 65535, 49152, 1L << 30);

    [Theory]
    [InlineData("llvmpipe (LLVM 15.0.6, 256 bits)", null, false)]
    [InlineData("NVIDIA GeForce RTX 3060/PCIe/SSE2", null, true)]
    [InlineData("AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0)", "auto", true)]
    [InlineData("llvmpipe (LLVM 15.0.6, 256 bits)", "shared", true)]
    [InlineData("NVIDIA GeForce RTX 3060/PCIe/SSE2", " Registers ", false)]
    public void Hardware_renderers_get_the_shared_memory_gemm_unless_overridden(string renderer, string? setting, bool expected) =>
        Assert.Equal(expected, GpuContext.SharedMemoryGemmRule(Device(renderer), setting));

    [Fact]
    public void An_unknown_setting_is_refused_naming_the_variable_and_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => GpuContext.SharedMemoryGemmRule(Device("llvmpipe"), "fastest"));
        Assert.Contains(GpuContext.GemmKernelVariable + "=fastest", e.Message);
        Assert.Contains("shared, registers, auto", e.Message);
    }
}
