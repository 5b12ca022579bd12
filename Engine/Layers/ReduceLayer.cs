namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Sum or mean over some axes, keeping them with size 1 (ONNX ReduceSum / ReduceMean with keepdims; drop the axes
/// with a <see cref="ReshapeToLayer"/> after it). Rank 4 at most (the broadcasting kernels').
/// Forward y = s * sum over the axes of x (s = 1, or 1 / the number of values summed for a mean), a reduction over
/// broadcast axes (<see cref="Elementwise.SumToShape"/>); backward dx = s * dy broadcast back over those axes. No parameters.
/// </summary>
public sealed class ReduceLayer : UnaryLayer
{
    private readonly int[] _axes;
    private Tensor? _scale;   // x's shape, every element s: dx = dy (broadcast) * s

    /// <param name="axes">Axes to reduce, in [-rank, rank); negative ones count from the end.</param>
    /// <param name="mean">Divide by the number of values summed.</param>
    public ReduceLayer(string name, IReadOnlyList<int> axes, bool mean) : base(name)
    {
        ArgumentNullException.ThrowIfNull(axes);
        _axes = axes.ToArray();
        Mean = mean;
    }

    public IReadOnlyList<int> Axes => _axes;
    public bool Mean { get; }

    public override TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank > BroadcastShape.MaxRank)
            throw new ArgumentException($"{this} supports ranks up to {BroadcastShape.MaxRank}; got {input}.", nameof(input));
        int[] dims = input.Dimensions.ToArray();
        foreach (int axis in _axes)
        {
            if (axis < -input.Rank || axis >= input.Rank)
                throw new ArgumentException($"{this} axis {axis} is outside [-{input.Rank}, {input.Rank}) for {input}.", nameof(input));
            dims[axis < 0 ? axis + input.Rank : axis] = 1;
        }
        return new TensorShape(dims);
    }

    /// <summary>s: 1 for a sum, 1 / (values per output) for a mean.</summary>
    private float Scale(TensorShape input, TensorShape output) =>
        Mean && output.ElementCount > 0 ? (float)output.ElementCount / input.ElementCount : 1f;

    public override Tensor Forward(Tensor input, bool training)
    {
        TensorShape shape = OutputShape(input.Shape);
        Tensor output = OutputTensor(input.Context, shape);
        // y[t] = s * sum of x over the positions that broadcast onto t
        Elementwise.SumToShape(input, output, Scale(input.Shape, shape));
        if (_scale is null || _scale.Shape != input.Shape)
        {
            _scale?.Dispose();
            _scale = new Tensor(input.Context, input.Shape);
            _scale.Fill(Scale(input.Shape, shape));
        }
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor scale = _scale ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        // y[t] = s * sum x  =>  dx = s * dy[t], dy broadcast over the reduced axes
        Tensor gradInput = GradInputTensor(gradOutput.Context, scale.Shape);
        Elementwise.Mul(gradOutput, scale, gradInput);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => input.ElementCount;

    public override void Dispose()
    {
        _scale?.Dispose();
        _scale = null;
        base.Dispose();
    }
}
