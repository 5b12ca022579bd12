using static System.FormattableString;

namespace VisionPlugin.Engine;

/// <summary>
/// Batched matrix multiply on the GPU (register-blocked <c>matmul.comp</c>):
/// C = alpha * op(A) op(B) + beta * C (+ bias[n] added to every row), op = optional transpose.
/// Shapes (row-major): A [..., M, K] ([..., K, M] when <c>transposeA</c>), B [..., K, N]
/// ([..., N, K] when <c>transposeB</c>), C [..., M, N]. The leading axes are the batch: A and B
/// have the same leading axes, or one of them has a single batch entry and is broadcast.
/// A transpose costs nothing: the kernel reads every operand through strides.
/// </summary>
public static class Gemm
{
    /// <summary>Validates the shapes and returns C's shape [..., M, N].</summary>
    /// <exception cref="ArgumentException">Ranks, inner sizes or batch axes disagree; the message names both shapes.</exception>
    public static TensorShape OutputShape(TensorShape a, TensorShape b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank < 2) throw new ArgumentException($"Gemm expects A with at least 2 axes; got {a}.", nameof(a));
        if (b.Rank < 2) throw new ArgumentException($"Gemm expects B with at least 2 axes; got {b}.", nameof(b));
        var (m, ka) = transposeA ? (a[-1], a[-2]) : (a[-2], a[-1]);
        var (kb, n) = transposeB ? (b[-1], b[-2]) : (b[-2], b[-1]);
        if (ka != kb)
            throw new ArgumentException($"Gemm inner sizes differ: A {a}{(transposeA ? "^T" : "")} has K={ka}, B {b}{(transposeB ? "^T" : "")} has K={kb}.", nameof(b));
        int[] leading = BatchAxes(a, b);
        return new TensorShape([.. leading, m, n]);
    }

    /// <summary>c = alpha * op(a) op(b) + beta * c (+ bias[n]). beta = 0 overwrites c; 1 accumulates into it. c must not share a buffer with a or b.</summary>
    /// <param name="bias">Optional [N] vector added to every row of the result.</param>
    public static void Multiply(Tensor a, Tensor b, Tensor c, bool transposeA = false, bool transposeB = false,
        Tensor? bias = null, float alpha = 1f, float beta = 0f)
    {
        TensorShape expected = OutputShape(a.Shape, b.Shape, transposeA, transposeB);
        if (c.Shape != expected)
            throw new ArgumentException($"Gemm result must be {expected} for A {a.Shape} and B {b.Shape}; got {c.Shape}.", nameof(c));
        int m = expected[-2], n = expected[-1];
        int k = transposeA ? a.Shape[-2] : a.Shape[-1];
        if (bias is not null && bias.ElementCount != n)
            throw new ArgumentException($"Gemm bias must have {n} elements for result {expected}; got {bias.Shape}.", nameof(bias));
        int batch = BatchCount(expected);
        // (row, column) strides of A[b,m,k]: stored [M,K] they are (K, 1); stored [K,M] (transposed), (1, M).
        // Likewise B[b,k,n]: stored [K,N], (N, 1); stored [N,K], (1, K).
        var (aRow, aCol) = transposeA ? (1, m) : (k, 1);
        var (bRow, bCol) = transposeB ? (1, k) : (n, 1);
        Dispatch(c.Context, a.Buffer, b.Buffer, bias?.Buffer, c.Buffer, batch, m, n, k,
            BatchCount(a.Shape) == 1 ? 0 : m * k, aRow, aCol,
            BatchCount(b.Shape) == 1 ? 0 : k * n, bRow, bCol,
            m * n, alpha, beta, wideTiles: batch > 1);
    }

    /// <summary>Multiply-adds of one product: batch * M * N * K.</summary>
    public static long MultiplyAdds(TensorShape a, TensorShape b, bool transposeA = false, bool transposeB = false)
    {
        TensorShape c = OutputShape(a, b, transposeA, transposeB);
        return (long)c.ElementCount * (transposeA ? a[-2] : a[-1]);
    }

    /// <summary>
    /// The raw kernel launch with explicit strides (all in elements); C is dense with rows of length
    /// <paramref name="n"/>. Used by ops that view their tensors as matrices in other ways.
    /// Picks the program variant: 8x16 or 8x8 tiles when that still leaves enough invocations to fill the
    /// cores (else 4x4), and vec4 loads for every operand whose layout allows them.
    /// <paramref name="sumBatch"/>: one C [M, N] = alpha * sum over the batch of op(A[b]) op(B[b]) (+ beta C): the batch
    /// joins the reduction inside each invocation (a weight gradient summed over samples, no partials pass).
    /// <paramref name="wideTiles"/>: allow the 8x16 tiles — callers pass it for work over several samples (training and
    /// batched inference). They are 4-17 % faster, but compiling their variants took llvmpipe ~2.8 s more at a cold start,
    /// so a first single-image classification (process start to first prediction, 4.2 s cold) keeps the 8x8 tiles.
    /// </summary>
    internal static void Dispatch(GpuContext context, GpuBuffer a, GpuBuffer b, GpuBuffer? bias, GpuBuffer c,
        int batch, int m, int n, int k,
        int aBatchStride, int aRowStride, int aColStride,
        int bBatchStride, int bRowStride, int bColStride,
        int cBatchStride, float alpha, float beta, bool biasPerRow = false, ConvEpilogue? epilogue = null, bool sumBatch = false,
        bool wideTiles = false)
    {
        if (batch == 0 || m == 0 || n == 0) return;
        int outputBatch = sumBatch ? 1 : batch;
        if (context.UseSharedMemoryGemm)
        {
            // matmul_shared.comp: one work group of 64 per 64 x 64 block of C.
            ComputeProgram shared = context.Programs.Get("matmul_shared.comp", ConvEpilogue.Defines(epilogue, epilogue is null ? NoDefines : InferenceEpilogue));
            SetUniforms(shared, batch, m, n, k, aBatchStride, aRowStride, aColStride, bBatchStride, bRowStride, bColStride, cBatchStride,
                alpha, beta, biasPerRow, sumBatch).Bind(0, a).Bind(1, b).Bind(2, bias ?? c).Bind(3, c).Set("hasBias", bias is null ? 0 : 1);
            if (epilogue is { } se) se.Apply(shared, a);
            shared.DispatchLinear((long)outputBatch * ((m + 63) / 64) * ((n + 63) / 64) * 64);
            return;
        }
        // The largest tile that still leaves enough invocations to fill the cores: 8x16, 8x8, else 4x4.
        int shape = wideTiles && Tiles(outputBatch, m, n, TileShapes[2]) >= MinInvocationsForLargeTile ? 2
            : Tiles(outputBatch, m, n, TileShapes[1]) >= MinInvocationsForLargeTile ? 1 : 0;
        // A[b,m,k]: contiguous along k (mode 1) or along m (mode 2); B[b,k,n]: along k (1) or along n (2).
        int aVec = VectorMode(aColStride, aRowStride, aBatchStride, k, m);
        int bVec = VectorMode(bRowStride, bColStride, bBatchStride, k, n);
        // Texel-buffer loads (llvmpipe): the loads of A and B become buffer-texture fetches (RGBA32F for a vec4 operand, R32F for a scalar one).
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(a, aVec != 0) && context.FitsTexelBuffer(b, bVec != 0);
        // vec4 stores when every row of C, and every batch's C, starts 16-byte aligned.
        int cVec = n % 4 == 0 && cBatchStride % 4 == 0 ? 1 : 0;
        int k4 = k % 4 == 0 ? 1 : 0; // four k per loop trip whatever the operands' vec4 modes
        ComputeProgram program = SetUniforms(context.Programs.Get("matmul.comp",
                ConvEpilogue.Defines(epilogue, Variants[(epilogue is null ? 0 : 1) + (texels ? 2 : 0), shape, aVec, bVec, cVec, k4])),
                batch, m, n, k, aBatchStride, aRowStride, aColStride, bBatchStride, bRowStride, bColStride, cBatchStride, alpha, beta, biasPerRow, sumBatch)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, a).Bind(1, b).Bind(2, bias ?? c).Bind(3, c);
        if (epilogue is { } e) e.Apply(program, a);
        if (texels) program.BindTexels("aTex", 0, a, vec4Texels: aVec != 0).BindTexels("bTex", 1, b, vec4Texels: bVec != 0);
        program.DispatchLinear(Tiles(outputBatch, m, n, TileShapes[shape]));
    }

    /// <summary>The shape, stride and scaling uniforms matmul.comp and matmul_shared.comp share.</summary>
    private static ComputeProgram SetUniforms(ComputeProgram program, int batch, int m, int n, int k,
        int aBatchStride, int aRowStride, int aColStride, int bBatchStride, int bRowStride, int bColStride,
        int cBatchStride, float alpha, float beta, bool biasPerRow, bool sumBatch) =>
        program.Set("batch", batch).Set("M", m).Set("N", n).Set("K", k)
            .Set("aBatchStride", aBatchStride).Set("aRowStride", aRowStride).Set("aColStride", aColStride)
            .Set("bBatchStride", bBatchStride).Set("bRowStride", bRowStride).Set("bColStride", bColStride)
            .Set("cBatchStride", cBatchStride).Set("alpha", alpha).Set("beta", beta)
            .Set("biasPerRow", biasPerRow ? 1 : 0).Set("sumBatch", sumBatch ? 1 : 0);

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string> InferenceEpilogue = new Dictionary<string, string> { ["EPILOGUE"] = "1" };

    /// <summary>
    /// (TM, TN) of the tile variants. 8x16 beat 8x8 by 4-17 % on MobileNetV2's 1x1 GEMMs (forward and both backward
    /// passes, batch 1 and 16, interleaved A/B on llvmpipe): each loaded value feeds more multiply-adds.
    /// </summary>
    internal static readonly (int M, int N)[] TileShapes = [(4, 4), (8, 8), (8, 16)];
    /// <summary>A larger tile only when it gives at least this many invocations (8 work groups).</summary>
    private const int MinInvocationsForLargeTile = 512;

    /// <summary>
    /// Defines per (fused epilogue + 2 * texel-buffer loads, tile shape, A vec4 mode, B vec4 mode, C vec4 stores, K % 4 == 0); see the
    /// header of matmul.comp.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string>[,,,,,] Variants = BuildVariants();

    private static IReadOnlyDictionary<string, string>[,,,,,] BuildVariants()
    {
        var variants = new IReadOnlyDictionary<string, string>[4, TileShapes.Length, 3, 3, 2, 2];
        for (int e = 0; e < 4; e++)
            for (int t = 0; t < TileShapes.Length; t++)
                for (int av = 0; av < 3; av++)
                    for (int bv = 0; bv < 3; bv++)
                    for (int cv = 0; cv < 2; cv++)
                    for (int k4 = 0; k4 < 2; k4++)
                    {
                        var defines = new Dictionary<string, string>
                        {
                            ["TM"] = Invariant($"{TileShapes[t].M}"), ["TN"] = Invariant($"{TileShapes[t].N}"),
                            ["A_VEC"] = Invariant($"{av}"), ["B_VEC"] = Invariant($"{bv}"),
                        };
                        if ((e & 1) != 0) defines["EPILOGUE"] = "1";
                        if ((e & 2) != 0) defines["TEX_LOADS"] = "1";
                        if (cv != 0) defines["C_VEC"] = "1";
                        if (k4 != 0) defines["K4"] = "1";
                        variants[e, t, av, bv, cv, k4] = defines;
                    }
        return variants;
    }

    private static long Tiles(int batch, int m, int n, (int M, int N) tile) => (long)batch * ((m + tile.M - 1) / tile.M) * ((n + tile.N - 1) / tile.N);

    /// <summary>
    /// 1 when the operand is contiguous along k (stride 1) with 4-aligned rows and k % 4 == 0;
    /// 2 when contiguous along its other axis (length <paramref name="outer"/>, a multiple of 4)
    /// with 4-aligned k steps; else 0 (scalar loads). Batch strides must be 4-aligned too.
    /// </summary>
    private static int VectorMode(int kStride, int outerStride, int batchStride, int k, int outer)
    {
        if (batchStride % 4 != 0) return 0;
        if (kStride == 1 && k % 4 == 0 && outerStride % 4 == 0) return 1;
        if (outerStride == 1 && outer % 4 == 0 && kStride % 4 == 0) return 2;
        return 0;
    }

    private static int BatchCount(TensorShape shape)
    {
        int count = 1;
        for (int axis = 0; axis < shape.Rank - 2; axis++) count *= shape[axis];
        return count;
    }

    /// <summary>The result's leading axes: equal leading axes, or those of the operand that is not a single batch entry.</summary>
    private static int[] BatchAxes(TensorShape a, TensorShape b)
    {
        int[] leadA = a.Dimensions[..^2].ToArray(), leadB = b.Dimensions[..^2].ToArray();
        if (leadA.SequenceEqual(leadB)) return leadA;
        int batchA = BatchCount(a), batchB = BatchCount(b);
        if (batchA == 1 && batchB == 1) return leadA.Length >= leadB.Length ? leadA : leadB;
        if (batchA == 1) return leadB;
        if (batchB == 1) return leadA;
        throw new ArgumentException($"Gemm batch axes differ and neither is a single batch entry: A {a}, B {b}.", nameof(b));
    }
}
