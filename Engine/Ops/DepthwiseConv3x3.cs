namespace VisionPlugin.Engine;

/// <summary>
/// The register-blocked depthwise 3x3 kernel (<c>conv2d_depthwise3x3_forward.comp</c>) that <see cref="Conv2d"/>
/// uses for MobileNet-style layers: groups = C = K, a 3x3 kernel, stride 1x1 or 2x2, dilation 1, any zero padding.
/// Each invocation computes a tile of 2 rows x 8 columns (stride 1) or 1 row x 8 columns (stride 2) of one plane,
/// loading each input row of the tile once.
/// </summary>
internal static class DepthwiseConv3x3
{
    private static readonly IReadOnlyDictionary<string, string>[,] Variants =
    {
        { Defines(1, 2, epilogue: false), Defines(1, 2, epilogue: true) },
        { Defines(2, 1, epilogue: false), Defines(2, 1, epilogue: true) },
    };

    /// <summary>Whether the geometry is one this kernel runs.</summary>
    public static bool Supports(ConvGeometry g) =>
        g.Groups == g.Input.C && g.Output.C == g.Input.C && g.Weight[2] == 3 && g.Weight[3] == 3
        && g.DilationH == 1 && g.DilationW == 1
        && ((g.StrideH == 1 && g.StrideW == 1) || (g.StrideH == 2 && g.StrideW == 2));

    /// <summary>output = epilogue(depthwise3x3(input, weight) + bias); overwrites <paramref name="output"/>.</summary>
    public static void Dispatch(Tensor input, GpuBuffer weight, Tensor? bias, GpuBuffer output, ConvGeometry g, ConvEpilogue? epilogue)
    {
        int strideIndex = g.StrideH == 1 ? 0 : 1;
        IReadOnlyDictionary<string, string> defines = Variants[strideIndex, epilogue is null ? 0 : 1];
        int rows = int.Parse(defines["OYB"], System.Globalization.CultureInfo.InvariantCulture);
        const int columns = 8;
        long tiles = (long)g.Output.N * g.Output.C * ((g.Output.H + rows - 1) / rows) * ((g.Output.W + columns - 1) / columns);
        ComputeProgram program = input.Context.Programs.Get("conv2d_depthwise3x3_forward.comp", defines)
            .Set("N", g.Input.N).Set("C", g.Input.C).Set("H", g.Input.H).Set("W", g.Input.W)
            .Set("OH", g.Output.H).Set("OW", g.Output.W).Set("padTop", g.PadTop).Set("padLeft", g.PadLeft)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, input).Bind(1, weight).Bind(2, bias?.Buffer ?? weight).Bind(3, output);
        if (epilogue is { } e) e.Apply(program, weight);
        program.DispatchLinear(tiles);
    }

    private static Dictionary<string, string> Defines(int stride, int rows, bool epilogue)
    {
        var defines = new Dictionary<string, string>
        {
            ["STRIDE"] = stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OXB"] = "8",
            ["OYB"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (epilogue) defines["EPILOGUE"] = "1";
        return defines;
    }
}
