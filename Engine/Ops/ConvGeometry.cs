namespace VisionPlugin.Engine;

/// <summary>
/// The shapes and hyper-parameters the conv2d_* kernels read as uniforms: a convolution that reads
/// <see cref="Input"/> [N,C,H,W] with <see cref="Weight"/> [K, C/groups, KH, KW] and writes
/// <see cref="Output"/> [N,K,OH,OW]. ConvTranspose2d runs the same kernels with the roles swapped.
/// </summary>
internal readonly record struct ConvGeometry(
    TensorShape Input, TensorShape Weight, TensorShape Output,
    int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadLeft, int Groups)
{
    public static ConvGeometry Of(TensorShape input, TensorShape weight, TensorShape output, Conv2dOptions o) =>
        new(input, weight, output, o.StrideH, o.StrideW, o.DilationH, o.DilationW, o.Padding.Top, o.Padding.Left, o.Groups);

    /// <summary>1x1 kernel, stride 1, no padding, one group: a plain matrix product per sample.</summary>
    public bool IsPointwise => Weight[2] == 1 && Weight[3] == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadLeft == 0
                               && Groups == 1 && Output.H == Input.H && Output.W == Input.W;

    public ComputeProgram SetUniforms(ComputeProgram program) =>
        program.Set("N", Input.N).Set("C", Input.C).Set("H", Input.H).Set("W", Input.W)
            .Set("K", Output.C).Set("OH", Output.H).Set("OW", Output.W)
            .Set("KH", Weight[2]).Set("KW", Weight[3])
            .Set("strideH", StrideH).Set("strideW", StrideW)
            .Set("dilationH", DilationH).Set("dilationW", DilationW)
            .Set("padTop", PadTop).Set("padLeft", PadLeft)
            .Set("groups", Groups);
}
