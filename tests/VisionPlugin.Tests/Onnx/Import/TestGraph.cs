using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>Builds small ONNX models in memory for import tests.</summary>
internal sealed class TestGraph
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];

    public TestGraph Input(string name, params long[] dims) => Input(name, OnnxDataType.Float, dims);

    public TestGraph Input(string name, OnnxDataType type, params long[] dims)
    {
        _inputs.Add(new OnnxValueInfo(name, type, ValueArray.From(dims.Select(OnnxDimension.Known))));
        return this;
    }

    /// <summary>An input with a symbolic first dimension ("N").</summary>
    public TestGraph BatchInput(string name, params long[] rest)
    {
        _inputs.Add(new OnnxValueInfo(name, OnnxDataType.Float, ValueArray.From(rest.Select(OnnxDimension.Known).Prepend(OnnxDimension.Symbolic("N")))));
        return this;
    }

    public TestGraph Weight(string name, long[] dims, float[] values)
    {
        _initializers.Add(OnnxTensor.FromFloats(name, dims, values));
        return this;
    }

    public TestGraph Weight(string name, long[] dims, int seed) =>
        Weight(name, dims, TestData.ToFloat(TestData.Uniform(seed, (int)dims.Aggregate(1L, (a, d) => a * d))));

    public TestGraph Ints(string name, params long[] values)
    {
        _initializers.Add(OnnxTensor.FromInt64s(name, [values.Length], values));
        return this;
    }

    public TestGraph Node(string op, string[] inputs, string[] outputs, params OnnxAttribute[] attributes) =>
        NamedNode("", op, inputs, outputs, attributes);

    public TestGraph NamedNode(string name, string op, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        _nodes.Add(new OnnxNode(name, op, "", ValueArray.From(inputs), ValueArray.From(outputs), ValueArray.From(attributes)));
        return this;
    }

    public TestGraph Output(string name)
    {
        _outputs.Add(new OnnxValueInfo(name, OnnxDataType.Float, null));
        return this;
    }

    public OnnxModel Build(long opset = 13) => new()
    {
        OpsetImports = [new OnnxOpsetImport("", opset)],
        Graph = new OnnxGraph("test", ValueArray.From(_nodes), ValueArray.From(_initializers), ValueArray.From(_inputs), ValueArray.From(_outputs), default),
    };
}
