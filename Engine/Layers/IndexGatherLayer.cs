namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A fixed data movement (<see cref="IndexMap"/>: transpose, slice, split, tile, broadcast, gather with constant
/// indices) as a layer: y[i] = x[index[i]], and backward every input element sums the gradients of the outputs that
/// read it (see <see cref="IndexGather"/>). The map fixes the input shape. The index tables are uploaded on the first
/// Forward and owned by the layer. No parameters.
/// </summary>
public sealed class IndexGatherLayer : UnaryLayer
{
    private IndexGather.Tables? _tables;

    public IndexGatherLayer(string name, IndexMap map) : base(name) => Map = map ?? throw new ArgumentNullException(nameof(map));

    public IndexMap Map { get; }

    public override TensorShape OutputShape(TensorShape input)
    {
        if (input != Map.Input)
            throw new ArgumentException($"{this} moves data of shape {Map.Input}; got {input}.", nameof(input));
        return Map.Output;
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        _tables ??= new IndexGather.Tables(input.Context, Map);
        IndexGather.Forward(input, output, _tables);
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        IndexGather.Tables tables = _tables ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(gradOutput.Context, Map.Input);
        IndexGather.Backward(gradOutput, gradInput, tables);
        return gradInput;
    }

    public override void Dispose()
    {
        _tables?.Dispose();
        _tables = null;
        base.Dispose();
    }
}
