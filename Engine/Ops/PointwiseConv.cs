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
        int k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
        // A[b, m = co, kk = p] = dy[b][co*P + p]; B[b, kk = p, n = ci] = x[b][ci*P + p]; the sum over b runs inside the kernel.
        Gemm.Dispatch(input.Context, gradOutput.Buffer, input.Buffer, null, gradWeight.Buffer, g.Input.N, k, c, pixels,
            k * pixels, pixels, 1, c * pixels, 1, pixels, 0, 1f, accumulate ? 1f : 0f, sumBatch: true);
    }
}
