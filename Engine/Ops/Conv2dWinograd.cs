using System.Globalization;

namespace VisionPlugin.Engine;

/// <summary>
/// Winograd F(2x2, 3x3) forward convolution (Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks", 2015)
/// for 3x3, stride-1, dilation-1, ungrouped layers with any per-side padding:
/// <list type="number">
/// <item>U[xi] = (G g Gᵀ)[xi] per (k, c): [16, K*C rounded up to 4] (<c>conv2d_winograd_weight.comp</c>, every call: weights change while training);</item>
/// <item>V[xi] = (Bᵀ d B)[xi] per (c, 4x4 input patch, stride 2): [16, C, T4] (<c>conv2d_winograd_input.comp</c>);</item>
/// <item>M[xi] = U[xi] V[xi]: 16 batched GEMMs [K, C] x [C, T4] on the register-blocked <see cref="Gemm"/> kernel;</item>
/// <item>y = Aᵀ M A + bias, then the fused epilogue (<c>conv2d_winograd_output.comp</c>).</item>
/// </list>
/// T = N * ceil(OH/2) * ceil(OW/2) output tiles, T4 = T rounded up to 4. Multiply-adds in the GEMMs: 16 K C T against
/// the direct kernel's 9 K C OH OW ≈ 36 K C T, so up to 2.25x fewer; the transforms add O((K + C) T) work and float
/// error a few ulps larger than the direct sum's. <see cref="Selects(ConvGeometry)"/> decides where <see cref="Conv2d"/> uses it.
/// </summary>
public static class Conv2dWinograd
{
    /// <summary>Environment variable that forces the choice: <c>on</c> (every eligible layer), <c>off</c>, or <c>auto</c> (the default rule).</summary>
    public const string ModeVariable = "VISIONPLUGIN_CONV_WINOGRAD";

    private static readonly string Mode = ParseMode(Environment.GetEnvironmentVariable(ModeVariable));

    /// <summary>Defines per fused epilogue * 2 + texel loads (output transform; the input transform uses the first two).</summary>
    private static readonly IReadOnlyDictionary<string, string>[] OutputVariants =
    [
        new Dictionary<string, string>(), new Dictionary<string, string> { ["TEX_LOADS"] = "1" },
        new Dictionary<string, string> { ["EPILOGUE"] = "1" }, new Dictionary<string, string> { ["EPILOGUE"] = "1", ["TEX_LOADS"] = "1" },
    ];

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> TexelWeightVariant = new Dictionary<string, string> { ["TEX_WEIGHTS"] = "1" };

    /// <summary>True for the layers the Winograd kernels compute: 3x3 kernel, stride 1, dilation 1, one group.</summary>
    internal static bool Supports(ConvGeometry g) =>
        g.Weight[2] == 3 && g.Weight[3] == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1 && g.Groups == 1;

    /// <summary>
    /// Whether <see cref="Conv2d"/> runs <paramref name="g"/> on the Winograd path: never when unsupported; else per
    /// <see cref="ModeVariable"/> (<c>on</c>: always, <c>off</c>: never), else <see cref="IsPreferred"/>.
    /// </summary>
    internal static bool Selects(ConvGeometry g) => Selects(g, Mode);

    internal static bool Selects(ConvGeometry g, string mode) =>
        Supports(g) && mode switch { "on" => true, "off" => false, _ => IsPreferred(g) };

    /// <summary>
    /// The default rule: at least 64 input and output channels, so the 16 GEMMs (K C T multiply-adds each) dominate the
    /// transforms (O((K + C) T) memory traffic) and the weight transform (K C). Measured on llvmpipe, 2 cores, batch 1
    /// (<c>bench --only conv --filter 3x3</c>, forward GFLOP/s counted as the direct conv's flops, median of 3 runs at an
    /// FMA peak of ~71, direct -> Winograd): ResNet-18 64@56 22.6 -> 45.9, 128@28 20.1 -> 32.4, 256@14 20.2 -> 59.5,
    /// 512@7 17.8 -> 30.5; 64-channel 7x7 and 4x4 layers also won in a stage timing. With 8-16 channels the direct
    /// kernel was as fast or faster (the transforms cost as much as the GEMMs).
    /// </summary>
    internal static bool IsPreferred(ConvGeometry g) => g.Input.C >= 64 && g.Output.C >= 64;

    /// <summary>The Winograd forward: output = epilogue(conv(input, weight) + bias); overwrites <paramref name="output"/>.</summary>
    /// <param name="weight">[K, C, 3, 3].</param>
    /// <param name="epilogue">Fused clamp and residual (inference), or null.</param>
    internal static void Dispatch(Tensor input, GpuBuffer weight, Tensor? bias, GpuBuffer output, ConvGeometry g, ConvEpilogue? epilogue)
    {
        if (!Supports(g)) throw new ArgumentException($"Winograd F(2x2,3x3) needs a 3x3, stride-1, dilation-1, one-group convolution; got weight {g.Weight}.", nameof(g));
        GpuContext context = input.Context;
        int n = g.Input.N, c = g.Input.C, k = g.Output.C;
        int tilesH = (g.Output.H + 1) / 2, tilesW = (g.Output.W + 1) / 2;
        int tiles = n * tilesH * tilesW;
        int tiles4 = (tiles + 3) / 4 * 4;

        int weightPlane = (k * c + 3) / 4 * 4;   // KC4: every U[xi] plane starts 4-aligned (vec4 stores and loads)
        GpuBuffer u = context.Scratch("conv2d.winograd_weight", 16L * weightPlane);
        bool weightTexels = context.UseTexelBufferLoads && context.FitsTexelBuffer(weight, vec4Texels: false);
        ComputeProgram weightProgram = context.Programs.Get("conv2d_winograd_weight.comp", weightTexels ? TexelWeightVariant : NoDefines)
            .Set("K", k).Set("C", c).Set("KC4", weightPlane)
            .Bind(0, weight).Bind(1, u);
        if (weightTexels) weightProgram.BindTexels("wTex", 1, weight, vec4Texels: false);
        weightProgram.DispatchLinear(weightPlane / 4);

        GpuBuffer v = context.Scratch("conv2d.winograd_input", 16L * c * tiles4);
        bool inputTexels = context.UseTexelBufferLoads && context.FitsTexelBuffer(input.Buffer, vec4Texels: false);
        ComputeProgram inputProgram = context.Programs.Get("conv2d_winograd_input.comp", OutputVariants[inputTexels ? 1 : 0])
            .Set("N", n).Set("C", c).Set("H", g.Input.H).Set("W", g.Input.W)
            .Set("tilesH", tilesH).Set("tilesW", tilesW).Set("T4", tiles4)
            .Set("padTop", g.PadTop).Set("padLeft", g.PadLeft)
            .Bind(0, input).Bind(1, v);
        if (inputTexels) inputProgram.BindTexels("xTex", 0, input.Buffer, vec4Texels: false);
        inputProgram.DispatchLinear((long)c * tiles4 / 4);

        // M[xi] [K, T4] = U[xi] [K, C] x V[xi] [C, T4], xi = 0..15.
        GpuBuffer m = context.Scratch("conv2d.winograd_products", 16L * k * tiles4);
        Gemm.Dispatch(context, u, v, null, m, 16, k, tiles4, c,
            weightPlane, c, 1, c * tiles4, tiles4, 1, k * tiles4, 1f, 0f);

        bool productTexels = context.UseTexelBufferLoads && context.FitsTexelBuffer(m);
        ComputeProgram outputProgram = context.Programs.Get("conv2d_winograd_output.comp", ConvEpilogue.Defines(epilogue, OutputVariants[(epilogue is null ? 0 : 2) + (productTexels ? 1 : 0)]))
            .Set("N", n).Set("K", k).Set("OH", g.Output.H).Set("OW", g.Output.W)
            .Set("tilesH", tilesH).Set("tilesW", tilesW).Set("T4", tiles4)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, m).Bind(2, bias?.Buffer ?? m).Bind(3, output);
        if (epilogue is { } e) e.Apply(outputProgram, m);
        if (productTexels) outputProgram.BindTexels("mTex", 0, m);
        outputProgram.DispatchLinear((long)k * tiles4 / 4);
    }

    private static string ParseMode(string? value)
    {
        string mode = (value ?? "auto").Trim().ToLower(CultureInfo.InvariantCulture);
        return mode is "on" or "off" or "auto" or ""
            ? (mode.Length == 0 ? "auto" : mode)
            : throw new InvalidOperationException($"{ModeVariable} must be on, off or auto; got '{value}'.");
    }
}
