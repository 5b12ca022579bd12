namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Gives each sample a new shape: input [N, ...] becomes [N, ...sampleShape] with the same
/// row-major values. One entry of <see cref="SampleShape"/> may be -1: it takes whatever size makes
/// the element counts agree. The values are copied as they are (a GPU buffer copy; tensors have
/// no views) and the gradient is copied back the same way.
/// </summary>
public sealed class ReshapeLayer : UnaryLayer
{
    private readonly int[] _sampleShape;
        private TensorShape? _inputShape;

    /// <param name="sampleShape">Per-sample target shape (no batch axis), e.g. [64, 7, 7] or [-1].</param>
    public ReshapeLayer(string name, params int[] sampleShape) : base(name)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Count(d => d == -1) > 1 || sampleShape.Any(d => d < -1))
            throw new ArgumentException($"Reshape '{name}' allows at most one -1 and no other negative size; got [{string.Join(",", sampleShape)}].", nameof(sampleShape));
        _sampleShape = (int[])sampleShape.Clone();
    }

    public IReadOnlyList<int> SampleShape => _sampleShape;

    public override TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank < 1) throw new ArgumentException($"Reshape '{Name}' needs a batch axis; got {input}.", nameof(input));
        int batch = input[0];
        int perSample = batch == 0 ? 0 : input.ElementCount / batch;
        int known = 1;
        foreach (int d in _sampleShape) if (d != -1) known *= d;
        int[] dims = (int[])_sampleShape.Clone();
        int free = Array.IndexOf(dims, -1);
        if (free >= 0)
        {
            if (known == 0 || perSample % known != 0)
                throw new ArgumentException($"Reshape '{Name}' cannot infer -1 in [{string.Join(",", _sampleShape)}] for input {input} ({perSample} values per sample).", nameof(input));
            dims[free] = perSample / known;
        }
        else if (known != perSample)
        {
            throw new ArgumentException($"Reshape '{Name}' to [{string.Join(",", _sampleShape)}] needs {known} values per sample; input {input} has {perSample}.", nameof(input));
        }
        return new TensorShape([batch, .. dims]);
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        TensorMath.Copy(input, output);
        _inputShape = input.Shape;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        TensorShape inputShape = _inputShape ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        // Forward y = x in the same row-major order  =>  dx = dy with x's shape.
        Tensor gradInput = GradInputTensor(gradOutput.Context, inputShape);
        TensorMath.Copy(gradOutput, gradInput);
        return gradInput;
    }

}
