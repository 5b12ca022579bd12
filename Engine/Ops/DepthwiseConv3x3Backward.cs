using System.Globalization;

namespace VisionPlugin.Engine;

/// <summary>
/// Backward kernels of the depthwise 3x3 convolution (<see cref="DepthwiseConv3x3.Supports"/>: groups = C = K, 3x3,
/// stride 1 or 2, dilation 1). The stride-2 input gradient runs <c>conv2d_depthwise3x3_backward_input.comp</c> (a
/// parity-split gather with the taps fixed per position; stride 1 stays a rotated forward convolution); the weight
/// gradient runs <c>conv2d_depthwise3x3_backward_weight.comp</c> (all 9 taps of a channel per invocation, partial sums
/// over row slices) and <c>sum_partials.comp</c>.
/// </summary>
internal static class DepthwiseConv3x3Backward
{
    /// <summary>Output columns per invocation of the input-gradient kernel (OXB: it writes 2 rows x 2*OXB inputs).</summary>
    private const int InputTileColumns = 8;

    /// <summary>Defines of the weight-gradient kernel per [stride 1 or 2, texel loads].</summary>
    private static readonly IReadOnlyDictionary<string, string>[,] WeightVariants =
    {
        { WeightDefines(1, false), WeightDefines(1, true) },
        { WeightDefines(2, false), WeightDefines(2, true) },
    };

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> TexelDefines = new Dictionary<string, string> { ["TEX_LOADS"] = "1" };

    /// <summary>Whether <see cref="BackwardInput"/> runs this geometry (the stride-2 depthwise 3x3 case).</summary>
    public static bool SupportsInput(ConvGeometry g) => DepthwiseConv3x3.Supports(g) && g.StrideH == 2;

    /// <summary>gradInput = beta * gradInput + epilogue(dL/dinput) (stride 2).</summary>
    /// <param name="epilogue">Null, or the fused activation derivative (<see cref="ConvEpilogue.MasksGradient"/>).</param>
    public static void BackwardInput(Tensor gradOutput, GpuBuffer weight, Tensor gradInput, ConvGeometry g, bool accumulate, ConvEpilogue? epilogue = null)
    {
        GpuContext context = gradInput.Context;
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(gradOutput.Buffer, vec4Texels: false);
        long tilesX = (g.Input.W + g.PadLeft + 2 * InputTileColumns - 1) / (2 * InputTileColumns);
        long tilesY = (g.Input.H + g.PadTop + 1) / 2;
        ComputeProgram program = context.Programs.Get("conv2d_depthwise3x3_backward_input.comp", ConvEpilogue.Defines(epilogue, texels ? TexelDefines : NoDefines))
            .Set("N", g.Input.N).Set("C", g.Input.C).Set("H", g.Input.H).Set("W", g.Input.W)
            .Set("OH", g.Output.H).Set("OW", g.Output.W).Set("padTop", g.PadTop).Set("padLeft", g.PadLeft)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, weight).Bind(2, gradInput);
        if (epilogue is { } e) e.Apply(program, weight);
        if (texels) program.BindTexels("xTex", 0, gradOutput.Buffer, vec4Texels: false);
        program.DispatchLinear((long)g.Input.N * g.Input.C * tilesY * tilesX);
    }

    /// <summary>gradWeight = beta * gradWeight + sum over (n, oy, ox) of dy times the input under each tap.</summary>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, ConvGeometry g, bool accumulate)
    {
        GpuContext context = input.Context;
        int channels = g.Input.C, weightCount = channels * 9;
        // Each invocation should see at least ~256 output pixels: minChunk is in rows of OW pixels.
        var (splits, chunk) = SplitReduction.Plan(channels, (long)g.Output.N * g.Output.H, targetInvocations: 4096,
            minChunk: Math.Max(1, 256 / Math.Max(1, g.Output.W)));
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(input.Buffer, vec4Texels: false)
                      && context.FitsTexelBuffer(gradOutput.Buffer, vec4Texels: false);
        GpuBuffer partial = context.Scratch("conv2d.weight_partial", (long)splits * weightCount);
        ComputeProgram program = context.Programs.Get("conv2d_depthwise3x3_backward_weight.comp", WeightVariants[g.StrideH - 1, texels ? 1 : 0])
            .Set("N", g.Input.N).Set("C", channels).Set("H", g.Input.H).Set("W", g.Input.W)
            .Set("OH", g.Output.H).Set("OW", g.Output.W).Set("padTop", g.PadTop).Set("padLeft", g.PadLeft)
            .Set("splits", splits).Set("chunk", chunk)
            .Bind(0, input).Bind(1, gradOutput).Bind(2, partial);
        if (texels) program.BindTexels("xTex", 0, input.Buffer, vec4Texels: false).BindTexels("dyTex", 1, gradOutput.Buffer, vec4Texels: false);
        program.DispatchLinear((long)channels * splits);
        SplitReduction.SumPartials(context, partial, splits, gradWeight.Buffer, weightCount, accumulate ? 1f : 0f);
    }

    private static Dictionary<string, string> WeightDefines(int stride, bool texels)
    {
        var defines = new Dictionary<string, string> { ["STRIDE"] = stride.ToString(CultureInfo.InvariantCulture) };
        if (texels) defines["TEX_LOADS"] = "1";
        return defines;
    }
}
