using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// A network as a directed acyclic graph of layers (a sequential model is the special case of a
/// chain). Nodes are added in topological order: node ids 0..InputCount-1 are the model inputs,
/// every <see cref="Add(Layer, int[])"/> appends a layer fed by earlier nodes. Forward runs the nodes
/// in order; Backward runs them in reverse, summing gradients where a node feeds several layers, and folds clamp
/// activations into their consumer's backward-input kernel (<see cref="ActivationBackwardFusion"/>, <see cref="FuseActivationBackward"/>).
/// Owns its layers.
/// </summary>
public sealed class Model : IDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly List<int> _outputs = [];
    private Tensor?[] _values = [];
    private Tensor?[] _gradSums = [];
    private readonly List<IDisposable> _resources = [];
    private ActivationBackwardFusion.Plan? _activationFusion;   // made on the first fused Backward; reset when the graph changes

    private sealed record Node(Layer? Layer, int[] Inputs);

    /// <param name="inputShapes">Per-sample shapes of the inputs, without the batch axis (e.g. [3,224,224]).</param>
    public Model(GpuContext context, string name, params TensorShape[] inputShapes)
    {
        if (inputShapes.Length == 0) throw new ArgumentException("A model needs at least one input.", nameof(inputShapes));
        Context = context;
        Name = name;
        InputShapes = inputShapes;
        foreach (TensorShape _ in inputShapes) _nodes.Add(new Node(null, []));
    }

    public GpuContext Context { get; }
    public string Name { get; }
    /// <summary>Per-sample input shapes (no batch axis).</summary>
    public IReadOnlyList<TensorShape> InputShapes { get; }
    public int InputCount => InputShapes.Count;
    /// <summary>The id of the node added last.</summary>
    public int Last => _nodes.Count - 1;
    /// <summary>Layers in execution order.</summary>
    public IEnumerable<Layer> Layers => _nodes.Where(n => n.Layer is not null).Select(n => n.Layer!);
    /// <summary>Output node ids; defaults to the last node.</summary>
    public IReadOnlyList<int> Outputs => _outputs.Count > 0 ? _outputs : [Last];

    /// <summary>Nodes in topological order: the <see cref="InputCount"/> inputs, then one per layer.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>
    /// Whether <see cref="Dispose"/> frees the layers (the default). Views over another model's layers
    /// (<see cref="ModelSlicing"/>) do not own them.
    /// </summary>
    public bool OwnsLayers { get; init; } = true;

    /// <summary>
    /// Whether <see cref="Backward(IReadOnlyList{Tensor}, bool)"/> folds clamp activations' derivatives into their
    /// consumer's backward-input kernel (<see cref="ActivationBackwardFusion"/>): same gradients, one pass fewer per pair.
    /// Defaults to <see cref="ActivationBackwardFusion.EnabledByDefault"/>.
    /// </summary>
    public bool FuseActivationBackward { get; set; } = ActivationBackwardFusion.EnabledByDefault;

    /// <summary>Disposes <paramref name="resource"/> with the model, whether or not it owns its layers (an optimized view's fused layers).</summary>
    internal void DisposeWith(IDisposable resource) => _resources.Add(resource);

    /// <summary>
    /// Node <paramref name="id"/> read-only, for walking the graph (exporters): its layer (null for a model input)
    /// and the ids of the earlier nodes it reads, in order.
    /// </summary>
    public (Layer? Layer, IReadOnlyList<int> Inputs) NodeAt(int id)
    {
        if (id < 0 || id >= _nodes.Count) throw new ArgumentOutOfRangeException(nameof(id), $"Model '{Name}' has nodes 0..{_nodes.Count - 1}; got {id}.");
        Node node = _nodes[id];
        return (node.Layer, Array.AsReadOnly(node.Inputs));
    }

    /// <summary>Appends <paramref name="layer"/> fed by the last node (sequential use); returns its node id.</summary>
    public int Add(Layer layer) => Add(layer, Last);

    /// <summary>Appends <paramref name="layer"/> fed by the given earlier nodes; returns its node id.</summary>
    public int Add(Layer layer, params int[] inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        foreach (int input in inputs)
            if (input < 0 || input >= _nodes.Count)
                throw new ArgumentOutOfRangeException(nameof(inputs), $"{layer} reads node {input}; the model has nodes 0..{_nodes.Count - 1}.");
        if (Layers.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"Model '{Name}' already has a layer named '{layer.Name}'.", nameof(layer));
        _nodes.Add(new Node(layer, inputs));
        _activationFusion = null;
        return _nodes.Count - 1;
    }

    /// <summary>Marks which nodes are the model's outputs (in order).</summary>
    public void SetOutputs(params int[] nodes)
    {
        foreach (int node in nodes)
            if (node < 0 || node >= _nodes.Count) throw new ArgumentOutOfRangeException(nameof(nodes), $"No node {node}.");
        _outputs.Clear();
        _outputs.AddRange(nodes);
        _activationFusion = null;
    }

    /// <summary>Every parameter in layer order.</summary>
    public IReadOnlyList<Parameter> Parameters => Layers.SelectMany(l => l.Parameters).ToList();

    /// <summary>Per-sample output shapes of every node for a batch of one; validates the whole graph.</summary>
    public TensorShape[] InferShapes(int batchSize = 1) => InferShapes(Enumerable.Repeat(batchSize, InputCount).ToArray());

    /// <summary>
    /// Full output shapes of every node when input i has batch size <paramref name="batchSizes"/>[i] (an imported graph's
    /// inputs may differ: a MatMul of [3,4] by [4,5]); validates the whole graph.
    /// </summary>
    public TensorShape[] InferShapes(IReadOnlyList<int> batchSizes)
    {
        ArgumentNullException.ThrowIfNull(batchSizes);
        if (batchSizes.Count != InputCount)
            throw new ArgumentException($"Model '{Name}' takes {InputCount} inputs; got {batchSizes.Count} batch sizes.", nameof(batchSizes));
        var shapes = new TensorShape[_nodes.Count];
        for (int i = 0; i < _nodes.Count; i++)
        {
            Node node = _nodes[i];
            shapes[i] = node.Layer is null
                ? new TensorShape([batchSizes[i], .. InputShapes[i].Dimensions])
                : node.Layer.OutputShape(node.Inputs.Select(j => shapes[j]).ToArray());
        }
        return shapes;
    }

    /// <summary>Every layer with its input shapes and output shape, from <see cref="InferShapes(int)"/>'s result.</summary>
    public IEnumerable<(Layer Layer, TensorShape[] Inputs, TensorShape Output)> NodesWithShapes(TensorShape[] shapes)
    {
        for (int i = InputCount; i < _nodes.Count; i++)
            yield return (_nodes[i].Layer!, _nodes[i].Inputs.Select(j => shapes[j]).ToArray(), shapes[i]);
    }

    /// <summary>Parameters, activation memory and FLOPs per layer for one image (no GPU allocation).</summary>
    public ModelSummary Summary() => new(this);

    /// <summary>Runs the network on a batch; returns the first output (owned by its layer, valid until the next Forward).</summary>
    public Tensor Forward(Tensor input, bool training) => ForwardAll([input], training)[0];

    /// <summary>Runs the network on one batch per model input; returns every output.</summary>
    public IReadOnlyList<Tensor> ForwardAll(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (inputs.Count != InputCount) throw new ArgumentException($"Model '{Name}' takes {InputCount} inputs; got {inputs.Count}.", nameof(inputs));
        for (int i = 0; i < InputCount; i++)
        {
            TensorShape expected = new([inputs[i].Shape.Rank > 0 ? inputs[i].Shape[0] : 1, .. InputShapes[i].Dimensions]);
            if (inputs[i].Shape != expected)
                throw new ArgumentException($"Model '{Name}' input {i} must be [batch,{string.Join(",", InputShapes[i].Dimensions.ToArray())}]; got {inputs[i].Shape}.", nameof(inputs));
        }
        if (_values.Length != _nodes.Count) _values = new Tensor?[_nodes.Count];
        bool[] needed = NodesFeedingOutputs();
        for (int i = 0; i < _nodes.Count; i++)
        {
            Node node = _nodes[i];
            if (node.Layer is not null && !needed[i])
            {
                _values[i] = null; // not on a path to an output: skipped
                continue;
            }
            _values[i] = node.Layer is null ? inputs[i] : node.Layer.Forward(node.Inputs.Select(j => _values[j]!).ToArray(), training);
        }
        return Outputs.Select(o => _values[o]!).ToArray();
    }

    /// <summary>
    /// Back-propagates dL/doutput (one per output) through the graph, accumulating every trainable
    /// parameter's gradient. Returns dL/dinput per model input when <paramref name="inputGradients"/>,
    /// else nulls.
    /// </summary>
    public IReadOnlyList<Tensor?> Backward(IReadOnlyList<Tensor> gradOutputs, bool inputGradients = false)
    {
        if (gradOutputs.Count != Outputs.Count) throw new ArgumentException($"Model '{Name}' has {Outputs.Count} outputs; got {gradOutputs.Count} gradients.", nameof(gradOutputs));
        if (_values.Length != _nodes.Count || Outputs.Any(o => _values[o] is null)) throw new InvalidOperationException($"Model '{Name}': Backward before Forward.");
        bool[] needed = NodesNeedingGradient(inputGradients);
        ActivationBackwardFusion.Plan? fusion = FuseActivationBackward ? _activationFusion ??= ActivationBackwardFusion.Plan.For(this) : null;
        var grads = new Tensor?[_nodes.Count];
        for (int o = 0; o < Outputs.Count; o++) Accumulate(grads, Outputs[o], gradOutputs[o]);
        for (int i = _nodes.Count - 1; i >= InputCount; i--)
        {
            Node node = _nodes[i];
            if (grads[i] is null) continue; // does not reach any output
            if (fusion is not null && fusion.IsPassThrough(i))
            {
                // A fused activation: its only consumer's backward-input kernel already multiplied in act'(z).
                if (needed[node.Inputs[0]]) Accumulate(grads, node.Inputs[0], grads[i]!);
                continue;
            }
            bool[] need = node.Inputs.Select(j => needed[j]).ToArray();
            IReadOnlyList<Tensor?> inputGrads = fusion?.InputActivationOf[i] is { } inputActivation
                ? [((IFusesInputActivationBackward)node.Layer!).BackwardThroughInputActivation(grads[i]!, need[0], inputActivation)]
                : node.Layer!.Backward(grads[i]!, need);
            for (int k = 0; k < node.Inputs.Length; k++)
                if (need[k] && inputGrads[k] is not null) Accumulate(grads, node.Inputs[k], inputGrads[k]!);
        }
        return Enumerable.Range(0, InputCount).Select(i => inputGradients ? grads[i] : null).ToArray();
    }

    /// <summary>Back-propagates a single output's gradient.</summary>
    public void Backward(Tensor gradOutput) => Backward([gradOutput]);

    /// <summary>Zeroes every parameter gradient.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in Parameters) p.ZeroGradient();
    }

    /// <summary>Freezes (or unfreezes) every layer.</summary>
    public void SetFrozen(bool frozen)
    {
        foreach (Layer layer in Layers) layer.Frozen = frozen;
    }

    /// <summary>Nodes from which some output can be reached (the others need not run).</summary>
    private bool[] NodesFeedingOutputs()
    {
        var needed = new bool[_nodes.Count];
        foreach (int output in Outputs) needed[output] = true;
        for (int i = _nodes.Count - 1; i >= 0; i--)
            if (needed[i])
                foreach (int j in _nodes[i].Inputs) needed[j] = true;
        return needed;
    }

    /// <summary>
    /// Which nodes need dL/dnode: those with a trainable parameter at or before them (so the
    /// gradient must flow on to it), and the model inputs only when input gradients were requested.
    /// A frozen backbone in front of a trainable head thus costs no backward work.
    /// </summary>
    private bool[] NodesNeedingGradient(bool inputGradients)
    {
        // upstreamTrainable[i]: node i's layer or something feeding it has trainable parameters
        // (or is an input whose gradient was requested). Computed in topological order.
        var upstreamTrainable = new bool[_nodes.Count];
        for (int i = 0; i < _nodes.Count; i++)
        {
            Node node = _nodes[i];
            upstreamTrainable[i] = node.Layer is null
                ? inputGradients
                : node.Layer.Parameters.Any(p => p.Trainable) || node.Inputs.Any(j => upstreamTrainable[j]);
        }
        return upstreamTrainable;
    }

    private void Accumulate(Tensor?[] grads, int node, Tensor gradient)
    {
        if (grads[node] is null)
        {
            grads[node] = gradient;
            return;
        }
        // A second consumer: sum into a model-owned tensor so the layers' own buffers stay intact.
        if (_gradSums.Length != _nodes.Count) _gradSums = new Tensor?[_nodes.Count];
        Tensor sum = _gradSums[node] is { } existing && existing.Shape == gradient.Shape
            ? existing
            : ReplaceSum(node, gradient.Shape);
        if (!ReferenceEquals(grads[node], sum)) TensorMath.Copy(grads[node]!, sum);
        TensorMath.AddInPlace(sum, gradient);
        grads[node] = sum;
    }

    private Tensor ReplaceSum(int node, TensorShape shape)
    {
        _gradSums[node]?.Dispose();
        return _gradSums[node] = new Tensor(Context, shape);
    }

    public void Dispose()
    {
        if (OwnsLayers)
            foreach (Layer layer in Layers) layer.Dispose();
        foreach (IDisposable resource in _resources) resource.Dispose();
        _resources.Clear();
        foreach (Tensor? t in _gradSums) t?.Dispose();
        _gradSums = [];
    }
}
