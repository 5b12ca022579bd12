namespace VisionPlugin.Engine;

/// <summary>
/// Backward of a pointwise convolution (1x1, stride 1, unpadded, ungrouped: <see cref="ConvGeometry.IsPointwise"/>) as
/// GEMMs on the register-blocked <c>matmul.comp</c>, and the batched forward when samples go side by side. Per sample n the forward is y[n] [K, P] = w [K, C] x[n] [C, P]
/// (P = H*W pixels), so
///   dx[n] [C, P] = w^T [C, K] dy[n] [K, P]                      (one batched GEMM, w broadcast)
///   dw [K, C]    = sum_n dy[n] [K, P] x[n]^T [P, C]             (one GEMM whose reduction runs over samples and pixels)
/// Each invocation owns its tile of dw for the whole reduction: no float atomics, no partial sums.
/// When P is not a multiple of 4 but N*P is (7x7 maps in a batch), all three run with the samples side by side
/// ([C, N*P] rows, see <see cref="SamplesSideBySide"/>) so every operand loads vec4.
/// </summary>
internal static class PointwiseConv
{
    /// <summary>
    /// Whether a batch should run with its samples side by side: pixels per sample not a multiple of 4 (7x7, odd
    /// sizes) so per-sample rows cannot load vec4, while N*P is. Then x [N, C, P] becomes [C, N*P] and the GEMMs run
    /// once over N*P columns with vec4 loads; the transposes cost a copy of each operand.
    /// </summary>
    private static bool SamplesSideBySide(ConvGeometry g)
    {
        long pixels = (long)g.Input.H * g.Input.W, columns = g.Input.N * pixels;
        return g.Input.N > 1 && pixels % 4 != 0 && columns % 4 == 0 && columns * Math.Max(g.Input.C, g.Output.C) <= int.MaxValue;
    }

    /// <summary>
    /// y = w x + b when <see cref="SamplesSideBySide"/> (else false: the caller runs the per-sample GEMM):
    /// xRows [C, N*P] = x with samples side by side, yRows [K, N*P] = w xRows + b[k], y [N, K, P] = yRows transposed back.
    /// </summary>
    public static bool TryForwardSideBySide(Tensor input, GpuBuffer weight, GpuBuffer? bias, GpuBuffer output, ConvGeometry g)
    {
        if (!SamplesSideBySide(g)) return false;
        GpuContext context = input.Context;
        int samples = g.Input.N, k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W, columns = samples * pixels;
        GpuBuffer inputRows = context.Scratch("conv2d.pointwise_x_rows", (long)c * columns);
        GpuBuffer outputRows = context.Scratch("conv2d.pointwise_y_rows", (long)k * columns);
        TransposeBatchChannels(input.Buffer, inputRows, samples, c, pixels, 0f);
        Gemm.Dispatch(context, weight, inputRows, bias, outputRows, 1, k, columns, c,
            0, c, 1, 0, columns, 1, 0, 1f, 0f, biasPerRow: true, wideTiles: true);
        TransposeBatchChannels(outputRows, output, k, samples, pixels, 0f);
        return true;
    }

    /// <summary>gradInput = beta * gradInput + epilogue(w^T dy) per sample.</summary>
    /// <param name="epilogue">Null, or the fused activation derivative (<see cref="ConvEpilogue.MasksGradient"/>), applied where
    /// the result is stored in NCHW order: by the transpose back when samples go side by side, else by the GEMM.</param>
    public static void BackwardInput(Tensor gradOutput, GpuBuffer weight, Tensor gradInput, ConvGeometry g, bool accumulate, ConvEpilogue? epilogue = null)
    {
        int k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
        if (SamplesSideBySide(g))
        {
            // dyRows [K, N*P]; dxRows [C, N*P] = w^T dyRows; dx (+)= dxRows transposed back.
            GpuContext context = gradInput.Context;
            int samples = g.Input.N, columns = samples * pixels;
            GpuBuffer gradRows = context.Scratch("conv2d.pointwise_dy_rows", (long)k * columns);
            GpuBuffer gradInputRows = context.Scratch("conv2d.pointwise_dx_rows", (long)c * columns);
            TransposeBatchChannels(gradOutput.Buffer, gradRows, samples, k, pixels, 0f);
            Gemm.Dispatch(context, weight, gradRows, null, gradInputRows, 1, c, columns, k,
                0, 1, c, 0, columns, 1, 0, 1f, 0f, wideTiles: true);
            TransposeBatchChannels(gradInputRows, gradInput.Buffer, c, samples, pixels, accumulate ? 1f : 0f, epilogue);
            return;
        }
        // A[m = ci, kk = co] = w[co*C + ci]: row stride 1, column stride C. B[kk = co, n = p] = dy[n][co*P + p].
        Gemm.Dispatch(gradInput.Context, weight, gradOutput.Buffer, null, gradInput.Buffer, g.Input.N, c, pixels, k,
            0, 1, c, k * pixels, pixels, 1, c * pixels, 1f, accumulate ? 1f : 0f, epilogue: epilogue, wideTiles: g.Input.N > 1);
    }

    /// <summary>gradWeight = beta * gradWeight + sum over samples and pixels of dy x^T.</summary>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, ConvGeometry g, bool accumulate)
    {
        GpuContext context = input.Context;
        int samples = g.Input.N, k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
        float beta = accumulate ? 1f : 0f;
        if (SamplesSideBySide(g))
        {
            // dy -> [K, N*P] and x -> [C, N*P]: the reduction over (n, p) is one contiguous axis, vec4 loads on both operands.
            int length = samples * pixels;
            GpuBuffer gradRows = context.Scratch("conv2d.pointwise_dy_rows", (long)k * length);
            GpuBuffer inputRows = context.Scratch("conv2d.pointwise_x_rows", (long)c * length);
            TransposeBatchChannels(gradOutput.Buffer, gradRows, samples, k, pixels, 0f);
            TransposeBatchChannels(input.Buffer, inputRows, samples, c, pixels, 0f);
            // A[m = co, kk = np] = dyRows[co*NP + np]; B[kk = np, n = ci] = xRows[ci*NP + np].
            Gemm.Dispatch(context, gradRows, inputRows, null, gradWeight.Buffer, 1, k, c, length,
                0, length, 1, 0, 1, length, 0, 1f, beta, wideTiles: true);
            return;
        }
        // A[b, m = co, kk = p] = dy[b][co*P + p]; B[b, kk = p, n = ci] = x[b][ci*P + p]; the sum over b runs inside the kernel.
        Gemm.Dispatch(context, gradOutput.Buffer, input.Buffer, null, gradWeight.Buffer, samples, k, c, pixels,
            k * pixels, pixels, 1, c * pixels, 1, pixels, 0, 1f, beta, sumBatch: true, wideTiles: samples > 1);
    }

    /// <summary>
    /// destination [B, A, P] = beta * destination + epilogue(source [A, B, P] with its two leading axes swapped)
    /// (transpose_batch_channels.comp; the epilogue, when given, is the fused activation derivative indexed like destination).
    /// </summary>
    private static void TransposeBatchChannels(GpuBuffer source, GpuBuffer destination, int a, int b, int p, float beta, ConvEpilogue? epilogue = null)
    {
        GpuContext context = source.Context;
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(source, vec4Texels: false);
        ComputeProgram program = context.Programs.Get("transpose_batch_channels.comp", ConvEpilogue.Defines(epilogue, texels ? TexelLoads : NoDefines))
            .Set("A", a).Set("B", b).Set("P", p).Set("beta", beta)
            .Bind(0, source).Bind(1, destination);
        if (epilogue is { } e) e.Apply(program, source);
        if (texels) program.BindTexels("xTex", 0, source, vec4Texels: false);
        program.DispatchLinear((long)a * b);
    }

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> TexelLoads = new Dictionary<string, string> { ["TEX_LOADS"] = "1" };
}
