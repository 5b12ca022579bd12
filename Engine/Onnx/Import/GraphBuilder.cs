using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// The state of one import: the engine <see cref="Model"/> being built, every ONNX value seen so far (a constant
/// known on the host or a node computed on the GPU, each with its concrete shape), unique layer names, and the
/// weight bindings that map parameter gradients back to initializers. Converters read inputs and write outputs
/// through it. Constants are turned into <see cref="ConstantLayer"/> nodes only when a GPU op needs them as data.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly Dictionary<string, ImportValue> _values = [];
    private readonly Dictionary<string, int> _constantNodes = [];
    private readonly List<TensorShape> _nodeShapes = [];
    private readonly HashSet<string> _layerNames = [];

    /// <param name="inputShapes">The full shapes (batch axis included) the model's input nodes will carry.</param>
    public GraphBuilder(GpuContext context, Model model, IEnumerable<TensorShape> inputShapes, long opset, long maxBufferBytes)
    {
        Context = context;
        Model = model;
        Opset = opset;
        MaxBufferElements = maxBufferBytes / sizeof(float);
        _nodeShapes.AddRange(inputShapes);
    }

    public GpuContext Context { get; }
    public Model Model { get; }
    /// <summary>The default-domain opset version the model imports.</summary>
    public long Opset { get; }
    /// <summary>Largest GPU buffer, in floats.</summary>
    public long MaxBufferElements { get; }
    /// <summary>The node being converted and its label for messages.</summary>
    public OnnxNode Node { get; private set; } = null!;
    public string Label { get; private set; } = "";
    private string _layerBase = "";

    public List<ParameterBinding> Bindings { get; } = [];
    public List<BatchNormStatisticsBinding> StatisticsBindings { get; } = [];
    /// <summary>Float initializers read as operator settings (Clip bounds, Pad value...), which get no gradient.</summary>
    public SortedSet<string> SettingInitializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts converting <paramref name="node"/>: sets the label and the base of its layers' names.</summary>
    public void Begin(OnnxNode node, int index)
    {
        Node = node;
        Label = GraphOrder.Label(node, index);
        _layerBase = node.Name.Length > 0 ? node.Name : $"{node.OpType}_{index}";
    }

    /// <summary>A layer name unique in the model: the node's name, with <paramref name="suffix"/> for helper layers.</summary>
    public string LayerName(string? suffix = null) => UniqueLayerName(suffix is null ? _layerBase : $"{_layerBase}/{suffix}");

    /// <summary><paramref name="name"/>, or name#2, name#3... if taken.</summary>
    public string UniqueLayerName(string name)
    {
        string unique = name;
        for (int k = 2; !_layerNames.Add(unique); k++) unique = $"{name}#{k}";
        return unique;
    }

    public OnnxImportException Error(string problem) => new($"{Label}: {problem}");

    // ---- values ----

    public void DefineInput(string name, OnnxDataType type, int node, TensorShape shape) =>
        _values[name] = new RuntimeValue(name, shape, type, node);

    public void SetConstant(ConstantValue value) => _values[value.Name] = value;

    public void SetRuntime(string name, int node, OnnxDataType type = OnnxDataType.Float) =>
        _values[name] = new RuntimeValue(name, _nodeShapes[node], type, node);

    public bool Has(string name) => name.Length > 0 && _values.ContainsKey(name);

    public ImportValue Value(string name) =>
        _values.TryGetValue(name, out ImportValue? value) ? value : throw Error($"input '{name}' has no value.");

    /// <summary>The node's input <paramref name="index"/>, or null when it is absent or empty (an omitted optional input).</summary>
    public ImportValue? Input(int index) => index < Node.Inputs.Count && Node.Inputs[index].Length > 0 ? Value(Node.Inputs[index]) : null;

    public ImportValue RequireInput(int index, string role) =>
        Input(index) ?? throw Error($"needs input {index} ({role}).");

    public ConstantValue? ConstantInput(int index) => Input(index) as ConstantValue;

    /// <summary>Input <paramref name="index"/>, which must be known at load time (a weight, a shape...).</summary>
    public ConstantValue RequireConstant(int index, string role) => RequireInput(index, role) as ConstantValue
        ?? throw Error($"input {index} ({role}, '{Node.Inputs[index]}') must be a constant (an initializer or computed from constants); it is computed at run time.");

    public string Output(int index = 0) => index < Node.Outputs.Count ? Node.Outputs[index] : throw Error($"has no output {index}.");

    /// <summary>The shape of a model node's output.</summary>
    public TensorShape ShapeOf(int node) => _nodeShapes[node];

    /// <summary>The model node computing <paramref name="value"/>; a constant becomes a <see cref="ConstantLayer"/> node on first use.</summary>
    public int NodeOf(ImportValue value)
    {
        if (value is RuntimeValue runtime) return runtime.Node;
        var constant = (ConstantValue)value;
        if (_constantNodes.TryGetValue(constant.Name, out int existing)) return existing;
        var layer = new ConstantLayer(Context, LayerName("const:" + constant.Name), constant.Shape);
        int node = Add(layer);
        BindParameters([layer.Value], constant, constant.AsFloats(), null, 1f);
        _constantNodes[constant.Name] = node;
        return node;
    }

    /// <summary>Appends <paramref name="layer"/> fed by <paramref name="inputs"/> after checking the shapes fit; disposes it if they do not.</summary>
    public int Add(Layer layer, params int[] inputs)
    {
        try
        {
            TensorShape shape = layer.OutputShape(inputs.Select(i => _nodeShapes[i]).ToArray());
            int node = Model.Add(layer, inputs);
            _nodeShapes.Add(shape);
            return node;
        }
        catch
        {
            layer.Dispose();
            throw;
        }
    }

    /// <summary>Adds a reshape to <paramref name="shape"/> unless <paramref name="node"/> already has it.</summary>
    public int Reshape(int node, TensorShape shape, string? suffix) =>
        ShapeOf(node) == shape ? node : Add(new ReshapeToLayer(LayerName(suffix), shape), node);

    // ---- weights ----

    /// <summary>
    /// Uploads <paramref name="values"/> (the parameter's logical contents: the row-major concatenation of
    /// <paramref name="shards"/>) and records, when <paramref name="source"/> comes from a float initializer, that
    /// parameter element j = <paramref name="scale"/> * source element <c>transform?[j] ?? j</c>. Bound parameters are
    /// named after the initializer and trainable (their gradient is reported); others are frozen constants.
    /// </summary>
    public void BindParameters(IReadOnlyList<Parameter> shards, ConstantValue source, ReadOnlySpan<float> values, int[]? transform, float scale)
    {
        long total = shards.Sum(p => (long)p.Shape.ElementCount);
        if (total != values.Length)
            throw Error($"weight '{source.Name}' has {values.Length} values; the layer needs {total}.");
        InitializerOrigin? origin = source.Origin;
        string baseName = origin?.Initializer ?? source.Name;
        int offset = 0;
        for (int s = 0; s < shards.Count; s++)
        {
            Parameter p = shards[s];
            p.Name = shards.Count == 1 ? baseName : $"{baseName}.shard{s}";
            p.Trainable = origin is not null;
            int count = p.Shape.ElementCount;
            if (count > MaxBufferElements)
                throw Error($"weight '{baseName}' {p.Shape} needs {4L * count} bytes, more than the GPU's {4 * MaxBufferElements}-byte buffer limit.");
            p.Value.Upload(values.Slice(offset, count));
            offset += count;
        }
        if (origin is null) return;
        int[]? index = transform;
        if (origin.Index is { } originIndex)
        {
            index = new int[values.Length];
            for (int j = 0; j < index.Length; j++)
            {
                int k = transform is null ? j : transform[j];
                index[j] = k < 0 ? -1 : originIndex[k];
            }
        }
        Bindings.Add(new ParameterBinding(origin.Initializer, shards.ToArray(), index, scale));
    }

    /// <summary>A float initializer read as an operator setting rather than a tensor: it gets no gradient file.</summary>
    public void NoteSetting(ConstantValue value)
    {
        if (value.Origin is { } origin) SettingInitializers.Add(origin.Initializer);
    }
}
