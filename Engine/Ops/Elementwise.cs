namespace VisionPlugin.Engine;

/// <summary>The binary elementwise operators (values match `op` in elementwise_forward.comp).</summary>
public enum BinaryOperator
{
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    /// <summary>max(a, b) (ONNX Max of two inputs).</summary>
    Max = 4,
    /// <summary>min(a, b) (ONNX Min of two inputs).</summary>
    Min = 5,
    /// <summary>a^b with NumPy semantics: a negative base takes integral exponents only (ONNX Pow).</summary>
    Pow = 6,
}

/// <summary>
/// Binary elementwise ops with NumPy/ONNX broadcasting (<see cref="BroadcastShape"/>, rank &lt;= 4) on the GPU,
/// forward and backward: y = a (op) b. The gradient of an operand that was broadcast is summed over the axes
/// it was repeated along (a split reduction, no atomics):
/// add: da = dy, db = dy; sub: da = dy, db = -dy; mul: da = dy * b, db = dy * a; div: da = dy / b, db = -dy * a / b^2;
/// max: the larger operand takes dy (a on ties); min: the smaller (a on ties); pow: da = dy * b * a^(b-1), db = dy * a^b * ln a.
/// </summary>
public static class Elementwise
{
    private const int GradScaled = 0, GradTimesB = 1, GradTimesA = 2, GradOverB = 3, GradDivWrtB = 4,   // `kind` in elementwise_backward.comp
        GradMaxWrtA = 5, GradMaxWrtB = 6, GradMinWrtA = 7, GradMinWrtB = 8, GradPowWrtA = 9, GradPowWrtB = 10;

    /// <summary>The broadcast shape of the operands.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast; the message names both.</exception>
    public static TensorShape OutputShape(TensorShape a, TensorShape b, BinaryOperator op = BinaryOperator.Add) =>
        BroadcastShape.Of(a, b, op.ToString());

    /// <summary>output = a + b (broadcasting).</summary>
    public static void Add(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Add, a, b, output);
    /// <summary>output = a - b (broadcasting).</summary>
    public static void Sub(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Sub, a, b, output);
    /// <summary>output = a * b (broadcasting).</summary>
    public static void Mul(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Mul, a, b, output);
    /// <summary>output = a / b (broadcasting; IEEE division, so b == 0 gives inf or NaN).</summary>
    public static void Div(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Div, a, b, output);

    /// <summary>output = max(a, b) (broadcasting).</summary>
    public static void Max(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Max, a, b, output);
    /// <summary>output = min(a, b) (broadcasting).</summary>
    public static void Min(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Min, a, b, output);
    /// <summary>output = a^b (broadcasting; NumPy semantics for negative bases).</summary>
    public static void Pow(Tensor a, Tensor b, Tensor output) => Forward(BinaryOperator.Pow, a, b, output);

    /// <summary>output = a (op) b with broadcasting.</summary>
    public static void Forward(BinaryOperator op, Tensor a, Tensor b, Tensor output)
    {
        TensorShape outShape = RequireOperator(op, a.Shape, b.Shape);
        RequireShape(op, nameof(output), output.Shape, outShape, a.Shape, b.Shape);
        SetStrides(SetDims(output.Context.Programs.Get("elementwise_forward.comp"), "outDim", outShape), a.Shape, b.Shape, outShape)
            .Set("count", outShape.ElementCount).Set("op", (int)op)
            .Bind(0, a).Bind(1, b).Bind(2, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>
    /// gradA (+)= dL/da and gradB (+)= dL/db given dL/doutput; either may be null (not needed). For add and sub
    /// <paramref name="a"/> and <paramref name="b"/> only supply shapes; the other operators read their values.
    /// </summary>
    /// <param name="accumulate">Add to the gradients (for a tensor feeding several layers) instead of overwriting them.</param>
    public static void Backward(BinaryOperator op, Tensor a, Tensor b, Tensor gradOutput, Tensor? gradA, Tensor? gradB, bool accumulate = false)
    {
        TensorShape outShape = RequireOperator(op, a.Shape, b.Shape);
        RequireShape(op, nameof(gradOutput), gradOutput.Shape, outShape, a.Shape, b.Shape);
        if (gradA is not null)
        {
            RequireShape(op, nameof(gradA), gradA.Shape, a.Shape, a.Shape, b.Shape);
            int kind = op switch
            {
                BinaryOperator.Mul => GradTimesB, BinaryOperator.Div => GradOverB, BinaryOperator.Max => GradMaxWrtA,
                BinaryOperator.Min => GradMinWrtA, BinaryOperator.Pow => GradPowWrtA, _ => GradScaled,
            };
            ReduceGradient(kind, 1f, gradOutput, a, b, gradA, accumulate);
        }
        if (gradB is not null)
        {
            RequireShape(op, nameof(gradB), gradB.Shape, b.Shape, a.Shape, b.Shape);
            int kind = op switch
            {
                BinaryOperator.Mul => GradTimesA, BinaryOperator.Div => GradDivWrtB, BinaryOperator.Max => GradMaxWrtB,
                BinaryOperator.Min => GradMinWrtB, BinaryOperator.Pow => GradPowWrtB, _ => GradScaled,
            };
            ReduceGradient(kind, op == BinaryOperator.Sub ? -1f : 1f, gradOutput, a, b, gradB, accumulate);
        }
    }

    /// <summary>
    /// target (+)= scale * source summed over the axes along which <paramref name="target"/> broadcasts to
    /// <paramref name="source"/> (the gradient of a broadcast: [N,C,H,W] to [1,C,1,1], [C,1,1] or [W]).
    /// </summary>
    public static void SumToShape(Tensor source, Tensor target, float scale = 1f, bool accumulate = false)
    {
        if (source.Shape.Rank > BroadcastShape.MaxRank || !BroadcastShape.BroadcastsTo(target.Shape, source.Shape))
            throw new ArgumentException($"SumToShape: target {target.Shape} does not broadcast to source {source.Shape} (rank <= {BroadcastShape.MaxRank}).", nameof(target));
        ReduceGradient(GradScaled, scale, source, target, target, target, accumulate);
    }

    /// <summary>Multiply-adds of one forward pass: one per output element.</summary>
    public static long MultiplyAdds(TensorShape a, TensorShape b) => BroadcastShape.Of(a, b).ElementCount;

    /// <summary>target (+)= sum over target's broadcast axes of g(dy, a, b) (see elementwise_backward.comp).</summary>
    private static void ReduceGradient(int kind, float scale, Tensor gradOutput, Tensor a, Tensor b, Tensor target, bool accumulate)
    {
        GpuContext context = target.Context;
        TensorShape outShape = gradOutput.Shape;
        int targetCount = target.ElementCount;
        int reduceCount = targetCount == 0 ? 0 : outShape.ElementCount / targetCount;
        var (splits, chunk) = SplitReduction.Plan(targetCount, reduceCount);
        GpuBuffer result = splits == 1 ? target.Buffer : context.Scratch("elementwise.grad_partial", (long)splits * targetCount);
        ComputeProgram program = context.Programs.Get("elementwise_backward.comp");
        SetDims(SetDims(program, "outDim", outShape), "targetDim", target.Shape);
        SetStrides(program, a.Shape, b.Shape, outShape)
            .Set("targetCount", targetCount).Set("reduceCount", reduceCount)
            .Set("splits", splits).Set("chunk", chunk)
            .Set("kind", kind).Set("scale", scale).Set("beta", splits == 1 && accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, a).Bind(2, b).Bind(3, result)
            .DispatchLinear((long)targetCount * splits);
        if (splits > 1) SplitReduction.SumPartials(context, result, splits, target.Buffer, targetCount, accumulate ? 1f : 0f);
    }

    private static ComputeProgram SetDims(ComputeProgram program, string prefix, TensorShape shape)
    {
        int[] dims = BroadcastShape.Dims4(shape);
        for (int axis = 0; axis < BroadcastShape.MaxRank; axis++) program.Set(prefix + axis, dims[axis]);
        return program;
    }

    private static ComputeProgram SetStrides(ComputeProgram program, TensorShape a, TensorShape b, TensorShape output)
    {
        int[] aStrides = BroadcastShape.Strides4(a, output), bStrides = BroadcastShape.Strides4(b, output);
        for (int axis = 0; axis < BroadcastShape.MaxRank; axis++)
            program.Set("aStride" + axis, aStrides[axis]).Set("bStride" + axis, bStrides[axis]);
        return program;
    }

    private static TensorShape RequireOperator(BinaryOperator op, TensorShape a, TensorShape b)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentOutOfRangeException(nameof(op), $"Elementwise operator {(int)op} is not a BinaryOperator.");
        return OutputShape(a, b, op);
    }

    private static void RequireShape(BinaryOperator op, string name, TensorShape actual, TensorShape expected, TensorShape a, TensorShape b)
    {
        if (actual != expected)
            throw new ArgumentException($"{op} {name} must be {expected} for operands {a} and {b}; got {actual}.", name);
    }
}
