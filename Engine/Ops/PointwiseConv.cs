namespace VisionPlugin.Engine;

/// <summary>
/// Backward of a pointwise convolution (1x1, stride 1, unpadded, ungrouped: <see cref="ConvGeometry.IsPointwise"/>) as
/// GEMMs on the register-blocked <c>matmul.comp</c>. Per sample n the forward is y[n] [K, P] = w [K, C] x[n] [C, P]
/// (P = H*W pixels), so
///   dx[n] [C, P] = w^T [C, K] dy[n] [K, P]                      (one batched GEMM, w broadcast)
///   dw [K, C]    = sum_n dy[n] [K, P] x[n]^T [P, C]             (a GEMM per sample into partials[n], then a sum)
/// The sum over samples is a second pass (sum_partials.comp): no float atomics.
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
        // A[b, m = co, kk = p] = dy[b][co*P + p]; B[b, kk = p, n = ci] = x[b][ci*P + p].
        if (samples == 1)
        {
            Gemm.Dispatch(context, gradOutput.Buffer, input.Buffer, null, gradWeight.Buffer, 1, k, c, pixels,
                0, pixels, 1, 0, 1, pixels, 0, 1f, beta);
            return;
        }
        int weightCount = k * c;
        GpuBuffer partial = context.Scratch("conv2d.weight_partial", (long)samples * weightCount);
        Gemm.Dispatch(context, gradOutput.Buffer, input.Buffer, null, partial, samples, k, c, pixels,
            k * pixels, pixels, 1, c * pixels, 1, pixels, weightCount, 1f, 0f);
        SplitReduction.SumPartials(context, partial, samples, gradWeight.Buffer, weightCount, beta);
    }
}
