using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.TfJs;

/// <summary>How <see cref="TfJsImporter"/> builds a model. Immutable.</summary>
public sealed record TfJsImportOptions
{
    /// <summary>
    /// The Keras layers whose outputs become the model's outputs (in order); null = the model's own output_layers.
    /// Only these layers and what they depend on are built, so a trunk is imported by naming its last layer.
    /// </summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>
    /// Per-sample input shape in Keras order (height, width, channels), for input layers whose batch_input_shape
    /// leaves dimensions unknown (null); known dimensions must agree. Null = the model must fix every dimension.
    /// </summary>
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>The engine model's name; null = the Keras model's.</summary>
    public string? ModelName { get; init; }

    public static TfJsImportOptions Default { get; } = new();
}

/// <summary>
/// Builds an engine <see cref="Model"/> (NCHW, float32) from a <see cref="TfJsModel"/>: each Keras layer becomes one
/// engine layer of the same name (plus <c>{name}.{activation}</c> for a fused activation and <c>{name}.pool</c> for
/// global pooling), weights converted from TensorFlow's layouts (see <see cref="KerasWeightLayout"/>) and uploaded.
/// Inputs are RGB maps [C,H,W] for Keras [H,W,C]; outputs equal Keras' (vectors, or maps in NCHW). Layers are left
/// trainable and unfrozen whatever Keras' <c>trainable</c> said; batch norm uses the moving statistics in inference.
/// Supported classes: <see cref="SupportedLayers"/>. A model using others fails with one error listing each
/// unsupported class and the layers using it. Call on the GL thread; the caller owns the returned model.
/// </summary>
public static class TfJsImporter
{
    private delegate KerasTensor Importer(ImportContext context, KerasConfig config, KerasTensor[] inputs);

    private static readonly Dictionary<string, Importer> Importers = new(StringComparer.Ordinal)
    {
        ["Conv2D"] = (c, k, x) => KerasConvolutions.Conv2D(c, k, Single(k, x)),
        ["DepthwiseConv2D"] = (c, k, x) => KerasConvolutions.DepthwiseConv2D(c, k, Single(k, x)),
        ["SeparableConv2D"] = (c, k, x) => KerasConvolutions.SeparableConv2D(c, k, Single(k, x)),
        ["Dense"] = (c, k, x) => KerasCoreLayers.Dense(c, k, Single(k, x)),
        ["BatchNormalization"] = (c, k, x) => KerasCoreLayers.BatchNormalization(c, k, Single(k, x)),
        ["Dropout"] = (c, k, x) => KerasCoreLayers.Dropout(c, k, Single(k, x)),
        ["Flatten"] = (c, k, x) => KerasCoreLayers.Flatten(c, k, Single(k, x)),
        ["Reshape"] = (c, k, x) => KerasCoreLayers.Reshape(c, k, Single(k, x)),
        ["Add"] = KerasCoreLayers.Merge,
        ["Subtract"] = KerasCoreLayers.Merge,
        ["Multiply"] = KerasCoreLayers.Merge,
        ["Concatenate"] = KerasCoreLayers.Concatenate,
        ["ZeroPadding2D"] = (c, k, x) => KerasSpatialLayers.ZeroPadding2D(c, k, Single(k, x)),
        ["Cropping2D"] = (c, k, x) => KerasSpatialLayers.Cropping2D(c, k, Single(k, x)),
        ["AveragePooling2D"] = (c, k, x) => KerasSpatialLayers.Pooling2D(c, k, Single(k, x)),
        ["MaxPooling2D"] = (c, k, x) => KerasSpatialLayers.Pooling2D(c, k, Single(k, x)),
        ["GlobalAveragePooling2D"] = (c, k, x) => KerasSpatialLayers.GlobalPooling2D(c, k, Single(k, x)),
        ["GlobalMaxPooling2D"] = (c, k, x) => KerasSpatialLayers.GlobalPooling2D(c, k, Single(k, x)),
        ["Activation"] = (c, k, x) => KerasActivations.Activation(c, k, Single(k, x)),
        ["ReLU"] = (c, k, x) => KerasActivations.ReLU(c, k, Single(k, x)),
        ["LeakyReLU"] = (c, k, x) => KerasActivations.LeakyReLU(c, k, Single(k, x)),
        ["Softmax"] = (c, k, x) => KerasActivations.Softmax(c, k, Single(k, x)),
    };

    /// <summary>The Keras layer classes the importer reads (InputLayer included).</summary>
    public static IReadOnlyList<string> SupportedLayers { get; } = ["InputLayer", .. Importers.Keys];

    /// <summary>Reads the model at <paramref name="path"/> (see <see cref="TfJsModelReader.Read"/>) and builds it.</summary>
    public static Model Import(GpuContext context, string path, TfJsImportOptions? options = null) =>
        Build(context, TfJsModelReader.Read(path), options);

    /// <summary>Builds the engine model for <paramref name="source"/>'s outputs (or <see cref="TfJsImportOptions.Outputs"/>).</summary>
    /// <exception cref="TfJsFormatException">Unsupported layers, unknown output names, or weights that do not fit.</exception>
    public static Model Build(GpuContext context, TfJsModel source, TfJsImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        options ??= TfJsImportOptions.Default;
        KerasTopology topology = source.Topology;
        var layersByName = topology.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        IReadOnlyList<string> outputs = options.Outputs ?? topology.OutputLayers;
        if (outputs.Count == 0) throw new ArgumentException("At least one output layer is needed.", nameof(options));
        foreach (string output in outputs)
            if (!layersByName.ContainsKey(output))
                throw new TfJsFormatException(source.SourcePath, $"output layer '{output}' is not a layer of model '{topology.Name}'.");

        List<KerasLayer> order = TopologicalOrder(source.SourcePath, layersByName, outputs);
        RequireSupported(source.SourcePath, order);
        List<KerasLayer> inputs = order.Where(l => l.ClassName == "InputLayer")
            .OrderBy(l => topology.InputLayers.Contains(l.Name) ? topology.InputLayers.ToList().IndexOf(l.Name) : int.MaxValue).ToList();
        TensorShape[] inputShapes = inputs.Select(l => KerasInput.Shape(new KerasConfig(l, source.SourcePath), options.InputShape)).ToArray();
        if (inputShapes.Length == 0) throw new TfJsFormatException(source.SourcePath, "the requested outputs depend on no InputLayer.");

        var model = new Model(context, options.ModelName ?? topology.Name, inputShapes);
        try
        {
            var import = new ImportContext(context, model, source);
            var tensors = new Dictionary<string, KerasTensor>(StringComparer.Ordinal);
            for (int i = 0; i < inputs.Count; i++) tensors[inputs[i].Name] = new KerasTensor(i, inputShapes[i]);
            foreach (KerasLayer layer in order)
            {
                if (layer.ClassName == "InputLayer") continue;
                KerasTensor[] layerInputs = layer.Inputs.Select(name => tensors[name]).ToArray();
                tensors[layer.Name] = Importers[layer.ClassName](import, import.Config(layer), layerInputs);
            }
            model.SetOutputs(outputs.Select(o => tensors[o].Node).ToArray());
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The layers the outputs depend on, each after its inputs (iterative depth-first, cycles refused).</summary>
    private static List<KerasLayer> TopologicalOrder(string file, Dictionary<string, KerasLayer> layers, IReadOnlyList<string> outputs)
    {
        var order = new List<KerasLayer>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the stack, true: done
        foreach (string output in outputs)
        {
            var stack = new Stack<(KerasLayer Layer, int Next)>();
            if (!state.ContainsKey(output)) { stack.Push((layers[output], 0)); state[output] = false; }
            while (stack.Count > 0)
            {
                var (layer, next) = stack.Pop();
                if (next < layer.Inputs.Count)
                {
                    stack.Push((layer, next + 1));
                    string input = layer.Inputs[next];
                    if (state.TryGetValue(input, out bool done))
                    {
                        if (!done) throw new TfJsFormatException(file, $"layer '{layer.Name}' reads '{input}', which depends on '{layer.Name}' (a cycle).");
                        continue;
                    }
                    state[input] = false;
                    stack.Push((layers[input], 0));
                    continue;
                }
                if (layer.Inputs.Count == 0 && layer.ClassName != "InputLayer")
                    throw new TfJsFormatException(file, $"layer '{layer.Name}' ({layer.ClassName}) has no inputs and is not an InputLayer.");
                state[layer.Name] = true;
                order.Add(layer);
            }
        }
        return order;
    }

    private static void RequireSupported(string file, List<KerasLayer> layers)
    {
        var unsupported = layers.Where(l => l.ClassName != "InputLayer" && !Importers.ContainsKey(l.ClassName))
            .GroupBy(l => l.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (unsupported.Count == 0) return;
        string list = string.Join("; ", unsupported.Select(g => $"{g.Key} ({string.Join(", ", g.Select(l => l.Name))})"));
        throw new TfJsFormatException(file, $"unsupported Keras layer types: {list}. Supported: {string.Join(", ", SupportedLayers)}.");
    }

    private static KerasTensor Single(KerasConfig config, KerasTensor[] inputs) =>
        inputs.Length == 1 ? inputs[0] : throw config.Error($"takes one input; got {inputs.Length}.");
}
