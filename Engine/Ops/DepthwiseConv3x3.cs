namespace VisionPlugin.Engine;

/// <summary>
/// The register-blocked depthwise 3x3 kernel (<c>conv2d_depthwise3x3_forward.comp</c>) that <see cref="Conv2d"/>
/// uses for MobileNet-style layers: groups = C = K, a 3x3 kernel, stride 1x1 or 2x2, dilation 1, any zero padding.
/// Each invocation computes a tile of 2 rows x 8 columns of one plane, loading each input row of the tile once
/// (4 rows of 10 values at stride 1, 5 rows of 17 at stride 2).
/// </summary>
internal static class DepthwiseConv3x3
{
    /// <summary>Output rows per invocation (measured on llvmpipe, MobileNetV2 layers: 2 and 2 beat 1 and 4).</summary>
    private const int RowsStride1 = 2, RowsStride2 = 2;

    /// <summary>
    /// Output rows per invocation when the whole output plane fits one 8 x 8 tile (7x7 maps): one invocation per plane,
    /// which loads each input row once instead of once per 2-row tile (A/B interleaved on llvmpipe, [16,960,7,7]: forward
    /// 2.96 -> 2.63 ms, backward-input as a rotated forward 3.16 -> 2.83 ms, medians).
    /// </summary>
    private const int RowsSmallPlane = 8;

    /// <summary>Defines per [stride 1 or 2, fused epilogue, texel loads, vec4 stores (OW % 4 == 0), plane of at most 8 x 8].</summary>
    private static readonly IReadOnlyDictionary<string, string>[,,,,] Variants = BuildVariants();

    /// <summary>Whether the geometry is one this kernel runs.</summary>
    public static bool Supports(ConvGeometry g) =>
        g.Groups == g.Input.C && g.Output.C == g.Input.C && g.Weight[2] == 3 && g.Weight[3] == 3
        && g.DilationH == 1 && g.DilationW == 1
        && ((g.StrideH == 1 && g.StrideW == 1) || (g.StrideH == 2 && g.StrideW == 2));

    /// <summary>output = epilogue(depthwise3x3(input, weight) + bias); overwrites <paramref name="output"/>.</summary>
    public static void Dispatch(Tensor input, GpuBuffer weight, Tensor? bias, GpuBuffer output, ConvGeometry g, ConvEpilogue? epilogue)
    {
        GpuContext context = input.Context;
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(input.Buffer, vec4Texels: false);
        IReadOnlyDictionary<string, string> defines = ConvEpilogue.Defines(epilogue,
            Variants[g.StrideH == 1 ? 0 : 1, epilogue is null ? 0 : 1, texels ? 1 : 0, g.Output.W % 4 == 0 ? 1 : 0,
                g.Output.H <= RowsSmallPlane && g.Output.W <= 8 ? 1 : 0]);
        int rows = int.Parse(defines["OYB"], System.Globalization.CultureInfo.InvariantCulture);
        const int columns = 8;
        long tiles = (long)g.Output.N * g.Output.C * ((g.Output.H + rows - 1) / rows) * ((g.Output.W + columns - 1) / columns);
        ComputeProgram program = context.Programs.Get("conv2d_depthwise3x3_forward.comp", defines)
            .Set("N", g.Input.N).Set("C", g.Input.C).Set("H", g.Input.H).Set("W", g.Input.W)
            .Set("OH", g.Output.H).Set("OW", g.Output.W).Set("padTop", g.PadTop).Set("padLeft", g.PadLeft)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, input).Bind(1, weight).Bind(2, bias?.Buffer ?? weight).Bind(3, output);
        if (epilogue is { } e) e.Apply(program, weight);
        if (texels) program.BindTexels("xTex", 0, input.Buffer, vec4Texels: false);
        program.DispatchLinear(tiles);
    }

    private static IReadOnlyDictionary<string, string>[,,,,] BuildVariants()
    {
        var variants = new IReadOnlyDictionary<string, string>[2, 2, 2, 2, 2];
        for (int s = 0; s < 2; s++)
            for (int e = 0; e < 2; e++)
                for (int t = 0; t < 2; t++)
                    for (int v = 0; v < 2; v++)
                        for (int small = 0; small < 2; small++)
                            variants[s, e, t, v, small] = Defines(stride: s + 1,
                                rows: small == 1 ? RowsSmallPlane : s == 0 ? RowsStride1 : RowsStride2, epilogue: e == 1, texels: t == 1, vecStore: v == 1);
        return variants;
    }

    private static Dictionary<string, string> Defines(int stride, int rows, bool epilogue, bool texels, bool vecStore)
    {
        var defines = new Dictionary<string, string>
        {
            ["STRIDE"] = stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OXB"] = "8",
            ["OYB"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (epilogue) defines["EPILOGUE"] = "1";
        if (texels) defines["TEX_LOADS"] = "1";
        if (vecStore) defines["VEC_STORE"] = "1";
        return defines;
    }
}
