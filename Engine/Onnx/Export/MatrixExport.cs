using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Products an imported graph computes: <see cref="MatMulLayer"/> (two computed operands; <c>Gemm</c> for matrices,
/// <c>MatMul</c> with <c>Transpose</c> and a scalar <c>Mul</c> for batches) and <see cref="ShardedLinearLayer"/> (one
/// <c>Gemm</c> whose weight is the row shards joined back into [out, in]).
/// </summary>
internal static class MatrixExport
{
    /// <summary>
    /// y = alpha * op(A) op(B). Both operands matrices: Gemm(A, B) with alpha, transA, transB. Otherwise the transposed
    /// operands swap their last two axes (Transpose), MatMul broadcasts the leading axes, and Mul applies alpha.
    /// </summary>
    public static void MatMul(LayerExport e, MatMulLayer layer)
    {
        if (e.InputShapes[0].Rank == 2 && e.InputShapes[1].Rank == 2)
        {
            e.Node("Gemm", e.Inputs, OnnxAttribute.OfFloat("alpha", layer.Alpha), OnnxAttribute.OfFloat("beta", 1f),
                OnnxAttribute.OfInt("transA", layer.TransposeA ? 1 : 0), OnnxAttribute.OfInt("transB", layer.TransposeB ? 1 : 0));
            return;
        }
        string a = layer.TransposeA ? SwapLastAxes(e, e.Inputs[0], e.InputShapes[0].Rank) : e.Inputs[0];
        string b = layer.TransposeB ? SwapLastAxes(e, e.Inputs[1], e.InputShapes[1].Rank) : e.Inputs[1];
        if (layer.Alpha == 1f) e.Node("MatMul", [a, b]);
        else e.Node("Mul", [e.Helper("MatMul", [a, b]), e.Scalar("alpha", layer.Alpha)]);
    }

    private static string SwapLastAxes(LayerExport e, string value, int rank)
    {
        long[] perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        return e.Helper("Transpose", [value], OnnxAttribute.OfInts("perm", perm));
    }

    /// <summary>
    /// Gemm(x, W, b) with transB = 1, W [out, in] the shards' rows in order under <c>{layer}.weight</c> (one
    /// initializer: ONNX Runtime has no per-buffer limit); an input of rank above 2 is flattened to [N, in] first.
    /// </summary>
    public static void ShardedLinear(LayerExport e, ShardedLinearLayer layer)
    {
        var joined = new float[(long)layer.OutFeatures * layer.InFeatures];
        int offset = 0;
        foreach (Parameter shard in layer.WeightShards)
        {
            float[] rows = shard.Value.ToArray();
            rows.CopyTo(joined, offset);
            offset += rows.Length;
        }
        string input = e.InputShape.Rank == 2 ? e.Input : e.Helper("Flatten", [e.Input], OnnxAttribute.OfInt("axis", 1));
        string w = e.Floats("weight", [layer.OutFeatures, layer.InFeatures], joined);
        string[] inputs = layer.Bias is null ? [input, w] : [input, w, e.Weight(layer.Bias)];
        e.Node("Gemm", inputs, OnnxAttribute.OfFloat("alpha", 1f), OnnxAttribute.OfFloat("beta", 1f), OnnxAttribute.OfInt("transB", 1));
    }
}
