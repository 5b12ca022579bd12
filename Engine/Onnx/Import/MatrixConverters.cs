using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Gemm (Y = alpha * A' B' + beta * C) and MatMul (NumPy matmul). A constant 2-D B is a fully connected weight:
/// a <see cref="LinearLayer"/> with W [out, in] = alpha * B' (transposed from B [K, N] when needed; the gradient maps
/// back through the same transposition), or a <see cref="ShardedLinearLayer"/> when W exceeds one GPU buffer. A C of
/// [N] or [1, N] becomes the layer's bias (scaled by beta); any other C is added with broadcasting. A computed B is a
/// <see cref="MatMulLayer"/>. MatMul of an [..., K] input by a constant [K, N] flattens the leading axes around the
/// fully connected layer.
/// </summary>
internal static class MatrixConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Gemm"] = Gemm;
        table["MatMul"] = MatMul;
    }

    private static void Gemm(GraphBuilder b)
    {
        NodeAttributes a = b.Attributes();
        float alpha = a.Float("alpha", 1f), beta = a.Float("beta", 1f);
        bool transA = a.Int("transA", 0) != 0, transB = a.Int("transB", 0) != 0;
        ImportValue x = b.RequireInput(0, "A"), y = b.RequireInput(1, "B");
        ImportValue? c = b.Input(2);
        if (x.Shape.Rank != 2 || y.Shape.Rank != 2) throw b.Error($"A {x.Shape} and B {y.Shape} must be matrices.");
        int outFeatures = transB ? y.Shape[0] : y.Shape[1];
        bool useC = c is not null && beta != 0f;
        ImportValue product;
        if (y is ConstantValue weight)
        {
            int node = b.NodeOf(x);
            if (transA) node = b.Add(new IndexGatherLayer(b.LayerName("transpose_a"), IndexMap.Transpose(x.Shape, [1, 0])), node);
            bool biasFits = useC && c is ConstantValue bias && (bias.Shape.Rank == 1 || (bias.Shape.Rank == 2 && bias.Shape[0] == 1)) && bias.Count == outFeatures;
            node = Linear(b, node, weight, transB, alpha, biasFits ? (ConstantValue)c! : null, beta, useC && !biasFits ? "product" : null);
            product = new RuntimeValue(b.Output(), b.ShapeOf(node), OnnxDataType.Float, node);
            if (biasFits) useC = false;
        }
        else
        {
            int node = b.Add(new MatMulLayer(b.LayerName(useC ? "product" : null), transA, transB, alpha), b.NodeOf(x), b.NodeOf(y));
            product = new RuntimeValue(b.Output(), b.ShapeOf(node), OnnxDataType.Float, node);
        }
        if (useC)
        {
            ImportValue term = beta == 1f ? c! : ElementwiseConverters.Combine(b, BinaryOperator.Mul, c!,
                ConstantValue.OfFloats(b.Output() + "/beta", ConvertHelpers.Scalar, [beta]), "beta");
            product = ElementwiseConverters.Combine(b, BinaryOperator.Add, product, term, null);
        }
        b.Alias(product);
    }

    private static void MatMul(GraphBuilder b)
    {
        ImportValue x = b.RequireInput(0, "A"), y = b.RequireInput(1, "B");
        TensorShape xs = x.Shape, ys = y.Shape;
        if (xs.Rank == 0 || ys.Rank == 0) throw b.Error($"operands {xs} and {ys} must have at least one axis.");
        if (y is ConstantValue weight && ys.Rank == 2 && x is RuntimeValue)
        {
            // [..., K] x [K, N]: rows of the flattened leading axes through a fully connected layer.
            int k = xs[-1];
            if (ys[0] != k) throw b.Error($"cannot multiply {xs} by {ys}: inner sizes {k} and {ys[0]} differ.");
            int rows = xs.ElementCount / Math.Max(1, k);
            int node = b.Reshape(b.NodeOf(x), new TensorShape(rows, k), "rows");
            node = Linear(b, node, weight, transposed: false, 1f, null, 1f, null);
            b.SetOutput(b.Reshape(node, new TensorShape([.. xs.Dimensions[..^1], ys[1]]), "unrows"));
            return;
        }
        // NumPy promotion: a vector A is a row [1, K], a vector B a column [K, 1]; the added axis is dropped after.
        int a = b.NodeOf(x), c = b.NodeOf(y);
        if (xs.Rank == 1) a = b.Reshape(a, new TensorShape(1, xs[0]), "row");
        if (ys.Rank == 1) c = b.Reshape(c, new TensorShape(ys[0], 1), "column");
        int product = b.Add(new MatMulLayer(b.LayerName()), a, c);
        TensorShape ps = b.ShapeOf(product);
        var dims = new List<int>(ps.Dimensions[..^2].ToArray());
        if (xs.Rank > 1) dims.Add(ps[-2]);
        if (ys.Rank > 1) dims.Add(ps[-1]);
        b.SetOutput(b.Reshape(product, new TensorShape(dims.ToArray()), "squeeze"));
    }

    /// <summary>
    /// A fully connected layer fed by <paramref name="node"/> ([M, K]) with W = alpha * B' from the constant
    /// <paramref name="weight"/> (B' = B when <paramref name="transposed"/>, that is B is already [N, K]; else B^T) and an
    /// optional bias beta * C. Returns the layer's node.
    /// </summary>
    private static int Linear(GraphBuilder b, int node, ConstantValue weight, bool transposed, float alpha, ConstantValue? bias, float beta, string? suffix)
    {
        TensorShape ws = weight.Shape;
        int outFeatures = transposed ? ws[0] : ws[1], inFeatures = transposed ? ws[1] : ws[0];
        float[] source = weight.AsFloats();
        float[] values;
        int[]? transform = null;
        if (transposed) values = alpha == 1f ? source : Array.ConvertAll(source, v => alpha * v);
        else
        {
            // W[n, k] = alpha * B[k, n]
            values = new float[source.Length];
            transform = new int[source.Length];
            for (int n = 0; n < outFeatures; n++)
                for (int k = 0; k < inFeatures; k++)
                {
                    int from = k * outFeatures + n;
                    values[n * inFeatures + k] = alpha * source[from];
                    transform[n * inFeatures + k] = from;
                }
        }
        Layer layer;
        IReadOnlyList<Parameter> shards;
        Parameter? biasParameter;
        if ((long)outFeatures * inFeatures <= b.MaxBufferElements)
        {
            var linear = new LinearLayer(b.Context, b.LayerName(suffix), inFeatures, outFeatures, bias: bias is not null, weightInit: Initializer.Zeros());
            (layer, shards, biasParameter) = (linear, [linear.Weight], linear.Bias);
        }
        else
        {
            var sharded = new ShardedLinearLayer(b.Context, b.LayerName(suffix), inFeatures, outFeatures, b.MaxBufferElements, bias: bias is not null, weightInit: Initializer.Zeros());
            (layer, shards, biasParameter) = (sharded, sharded.WeightShards, sharded.Bias);
        }
        int result = b.Add(layer, node);
        b.BindParameters(shards, weight, values, transform, alpha);
        if (bias is not null)
        {
            float[] biasValues = bias.AsFloats();
            b.BindParameters([biasParameter!], bias, beta == 1f ? biasValues : Array.ConvertAll(biasValues, v => beta * v), null, beta);
        }
        return result;
    }
}
