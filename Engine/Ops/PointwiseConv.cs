namespace VisionPlugin.Engine;

/// <summary>
/// Backward of a pointwise convolution (1x1, stride 1, unpadded, ungrouped: <see cref="ConvGeometry.IsPointwise"/>) as
/// GEMMs on the register-blocked <c>matmul.comp</c>. Per sample n the forward is y[n] [K, P] = w [K, C] x[n] [C, P]
/// (P = H*W pixels), so
///   dx[n] [C, P] = w^T [C, K] dy[n] [K, P]                      (one batched GEMM, w broadcast)
///   dw [K, C]    = sum_n dy[n] [K, P] x[n]^T [P, C]             (one GEMM whose reduction runs over samples and pixels)
/// Each invocation owns its tile of dw for the whole reduction: no float atomics, no partial sums.
/// </summary>
internal static class PointwiseConv
{
    /// <summary>gradInput = beta * gradInput + w^T dy per sample.</summary>
    public static void BackwardInput(Tensor gradOutput, GpuBuffer weight, Tensor gradInput, ConvGeometry g, bool accumulate)
    {
        int k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
        // A[m = ci, kk = co] = w[co*C + ci]: row stride 1, column stride C. B[kk = co, n = p] = dy[n][co*P + p].
        Gemm.Dispatch(gradInput.Context, weight, gradOutput.Buffer, null, gradInput.Buffer, g.Input.N, c, pixels, k,
            0, 1, c, k * pixels, pixels, 1, c * pixels, 1f, accumulate ? 1f : 0f);
    }

    /// <summary>gradWeight = beta * gradWeight + sum over samples and pixels of dy x^T.</summary>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, ConvGeometry g, bool accumulate)
    {
        GpuContext context = input.Context;
        int samples = g.Input.N, k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
        float beta = accumulate ? 1f : 0f;
        long reduction = (long)samples * pixels;
        if (samples > 1 && pixels % 4 != 0 && reduction % 4 == 0 && reduction <= int.MaxValue)
        {
            // Pixels per sample not a multiple of 4 (7x7, 14x14...): lay the samples side by side, dy -> [K, N*P] and
            // x -> [C, N*P], so the reduction over (n, p) is one contiguous axis with vec4 loads on both operands.
            int length = (int)reduction;
            GpuBuffer gradRows = context.Scratch("conv2d.pointwise_dy_rows", (long)k * length);
            GpuBuffer inputRows = context.Scratch("conv2d.pointwise_x_rows", (long)c * length);
            TransposeBatchChannels(gradOutput.Buffer, gradRows, samples, k, pixels);
            TransposeBatchChannels(input.Buffer, inputRows, samples, c, pixels);
            // A[m = co, kk = np] = dyRows[co*NP + np]; B[kk = np, n = ci] = xRows[ci*NP + np].
            Gemm.Dispatch(context, gradRows, inputRows, null, gradWeight.Buffer, 1, k, c, length,
                0, length, 1, 0, 1, length, 0, 1f, beta);
            return;
        }
        // A[b, m = co, kk = p] = dy[b][co*P + p]; B[b, kk = p, n = ci] = x[b][ci*P + p]; the sum over b runs inside the kernel.
        Gemm.Dispatch(context, gradOutput.Buffer, input.Buffer, null, gradWeight.Buffer, samples, k, c, pixels,
            k * pixels, pixels, 1, c * pixels, 1, pixels, 0, 1f, beta, sumBatch: true);
    }

    /// <summary>destination [B, A, P] = source [A, B, P] with its two leading axes swapped (transpose_batch_channels.comp).</summary>
    private static void TransposeBatchChannels(GpuBuffer source, GpuBuffer destination, int a, int b, int p)
    {
        GpuContext context = source.Context;
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(source, vec4Texels: false);
        ComputeProgram program = context.Programs.Get("transpose_batch_channels.comp", texels ? TexelLoads : NoDefines)
            .Set("A", a).Set("B", b).Set("P", p)
            .Bind(0, source).Bind(1, destination);
        if (texels) program.BindTexels("xTex", 0, source, vec4Texels: false);
        program.DispatchLinear((long)a * b);
    }

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> TexelLoads = new Dictionary<string, string> { ["TEX_LOADS"] = "1" };
}
