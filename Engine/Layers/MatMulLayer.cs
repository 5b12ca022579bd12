namespace VisionPlugin.Engine.Layers;

/// <summary>
/// The product of two computed tensors, y = alpha * op(A) op(B) (ONNX MatMul, and Gemm when B is not a constant
/// weight), op = optional transpose of the last two axes. A [..., M, K], B [..., K, N] (as stored: [..., K, M] /
/// [..., N, K] when transposed); the leading axes are a batch, equal or a single entry on one side (see
/// <see cref="Gemm"/>). Backward: dA = alpha * dy op(B)^T and dB = alpha * op(A)^T dy (transposed back when the operand
/// was transposed), summed over the batch when that operand was broadcast. No parameters.
/// </summary>
public sealed class MatMulLayer : Layer
{
    private Tensor? _a, _b, _gradA, _gradB, _batchGradA, _batchGradB;

    public MatMulLayer(string name, bool transposeA = false, bool transposeB = false, float alpha = 1f) : base(name)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        Alpha = alpha;
    }

    public bool TransposeA { get; }
    public bool TransposeB { get; }
    public float Alpha { get; }

    public override TensorShape OutputShape(IReadOnlyList<TensorShape> inputs)
    {
        if (inputs.Count != 2) throw new ArgumentException($"{this} takes two inputs; got {inputs.Count}.", nameof(inputs));
        return Gemm.OutputShape(inputs[0], inputs[1], TransposeA, TransposeB);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        Tensor output = OutputTensor(inputs[0].Context, OutputShape([inputs[0].Shape, inputs[1].Shape]));
        Gemm.Multiply(inputs[0], inputs[1], output, TransposeA, TransposeB, alpha: Alpha);
        _a = inputs[0];
        _b = inputs[1];
        return output;
    }

    public override IReadOnlyList<Tensor?> Backward(Tensor gradOutput, IReadOnlyList<bool> needInputGradients)
    {
        Tensor a = _a ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        Tensor b = _b!;
        Tensor? gradA = null, gradB = null;
        if (needInputGradients[0])
        {
            // op(A) = alpha-less product partner of op(B): d op(A) = dy op(B)^T; dA = d op(A), or its transpose.
            gradA = Ensure(ref _gradA, a.Context, a.Shape);
            Tensor target = BatchTarget(ref _batchGradA, gradA, gradOutput);
            if (!TransposeA) Gemm.Multiply(gradOutput, b, target, transposeB: !TransposeB, alpha: Alpha);
            else Gemm.Multiply(b, gradOutput, target, transposeA: TransposeB, transposeB: true, alpha: Alpha);
            if (!ReferenceEquals(target, gradA)) Elementwise.SumToShape(target, gradA);
        }
        if (needInputGradients[1])
        {
            // d op(B) = op(A)^T dy; dB = d op(B), or its transpose.
            gradB = Ensure(ref _gradB, b.Context, b.Shape);
            Tensor target = BatchTarget(ref _batchGradB, gradB, gradOutput);
            if (!TransposeB) Gemm.Multiply(a, gradOutput, target, transposeA: !TransposeA, alpha: Alpha);
            else Gemm.Multiply(gradOutput, a, target, transposeA: true, transposeB: TransposeA, alpha: Alpha);
            if (!ReferenceEquals(target, gradB)) Elementwise.SumToShape(target, gradB);
        }
        return [gradA, gradB];
    }

    /// <summary>
    /// Where an operand's gradient is computed: its own gradient tensor when it has the output's batch axes, else a
    /// batched scratch tensor that <see cref="Elementwise.SumToShape"/> then sums over the broadcast batch.
    /// </summary>
    private Tensor BatchTarget(ref Tensor? scratch, Tensor gradient, Tensor gradOutput)
    {
        TensorShape o = gradient.Shape, y = gradOutput.Shape;
        int[] batch = y.Dimensions[..^2].ToArray();
        if (batch.SequenceEqual(o.Dimensions[..^2].ToArray())) return gradient;
        return Ensure(ref scratch, gradient.Context, new TensorShape([.. batch, o[-2], o[-1]]));
    }

    public override long MultiplyAdds(IReadOnlyList<TensorShape> inputs) =>
        Gemm.MultiplyAdds(inputs[0], inputs[1], TransposeA, TransposeB);

    public override void Dispose()
    {
        foreach (Tensor? t in new[] { _gradA, _gradB, _batchGradA, _batchGradB }) t?.Dispose();
        _gradA = _gradB = _batchGradA = _batchGradB = null;
        base.Dispose();
    }
}
