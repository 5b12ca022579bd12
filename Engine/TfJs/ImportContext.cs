using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// What the per-layer importers share while one engine <see cref="Models.Model"/> is built from a
/// <see cref="TfJsModel"/>: the model under construction, the weights (looked up by Keras layer and kind, checked
/// against the shape the layer needs) and shape inference for each appended layer. Call on the GL thread.
/// </summary>
internal sealed class ImportContext(GpuContext gpu, Model model, TfJsModel source)
{
    private readonly HashSet<string> _usedWeights = new(StringComparer.Ordinal);

    public GpuContext Gpu { get; } = gpu;
    public Model Model { get; } = model;
    public TfJsModel Source { get; } = source;

    /// <summary>Weights consumed so far (manifest names).</summary>
    public IReadOnlyCollection<string> UsedWeights => _usedWeights;

    /// <summary>Zero-filled start for parameters whose values are uploaded right after (no random draw).</summary>
    public static Initializer Unset { get; } = Initializer.Zeros();

    public KerasConfig Config(KerasLayer layer) => new(layer, Source.SourcePath);

    /// <summary>
    /// The values of weight <paramref name="kind"/> of the layer, in TF layout, after checking the manifest's shape
    /// equals <paramref name="expectedShape"/> (TF layout too).
    /// </summary>
    /// <exception cref="TfJsFormatException">The weight is missing or has another shape.</exception>
    public ReadOnlySpan<float> Weight(KerasConfig config, string kind, params int[] expectedShape)
    {
        TfJsWeight weight = Source.FindWeight(config.Layer.Name, kind)
            ?? throw config.Error($"needs weight '{config.Layer.Name}/{kind}' [{string.Join(",", expectedShape)}], which the weights manifest lacks.");
        if (!weight.Shape.SequenceEqual(expectedShape))
            throw config.Error($"weight '{weight.Name}' has shape [{string.Join(",", weight.Shape)}]; the layer needs [{string.Join(",", expectedShape)}].");
        _usedWeights.Add(weight.Name);
        return weight.Values.Span;
    }

    /// <summary>
    /// Appends <paramref name="layer"/> fed by <paramref name="inputs"/> and returns its output tensor. The output shape
    /// is inferred now, so a layer that cannot take its inputs fails here with a message naming the Keras layer.
    /// </summary>
    public KerasTensor Add(KerasConfig config, Layer layer, params KerasTensor[] inputs)
    {
        TensorShape output;
        try
        {
            output = layer.OutputShape(inputs.Select(t => new TensorShape([1, .. t.Shape.Dimensions])).ToArray());
        }
        catch (ArgumentException e)
        {
            layer.Dispose();
            throw config.Error($"cannot take input {string.Join(" and ", inputs.Select(t => t.KerasShape))}: {e.Message}");
        }
        int node;
        try
        {
            node = Model.Add(layer, inputs.Select(t => t.Node).ToArray());
        }
        catch (ArgumentException e) // a Keras name equal to an importer-made one, e.g. "conv.relu"
        {
            layer.Dispose();
            throw config.Error(e.Message);
        }
        return new KerasTensor(node, new TensorShape(output.Dimensions[1..].ToArray()));
    }

    /// <summary>
    /// Appends the activation Keras names <paramref name="activation"/> after <paramref name="x"/> as layer
    /// <paramref name="name"/>; "linear" (or null) appends nothing. Order-indifferent: a flattened vector's order is kept.
    /// </summary>
    public KerasTensor Activation(KerasConfig config, KerasTensor x, string? activation, string name)
    {
        if (activation is null or "linear") return x;
        Layer layer = activation switch
        {
            "softmax" => new SoftmaxLayer(name, axis: 1),
            _ => new ActivationLayer(name, ActivationFor(config, activation)),
        };
        return Add(config, layer, x) with { FlattenedFrom = x.FlattenedFrom };
    }

    /// <summary>The Keras activation names the importer maps to <see cref="ActivationKind"/>.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } =
        ["linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign", "hard_sigmoid"];

    private static ActivationOptions ActivationFor(KerasConfig config, string activation) => activation switch
    {
        "relu" => ActivationOptions.Relu(),
        "relu6" => ActivationOptions.Relu6(),
        "sigmoid" => ActivationOptions.Sigmoid(),
        "tanh" => ActivationOptions.Tanh(),
        "elu" => ActivationOptions.Elu(),
        "selu" => ActivationOptions.Selu(),
        "softplus" => ActivationOptions.Softplus(),
        "softsign" => ActivationOptions.Softsign(),
        "hard_sigmoid" => ActivationOptions.HardSigmoid(0.2f, 0.5f),
        _ => throw config.Error($"activation '{activation}' is not supported; supported: {string.Join(", ", ActivationNames)}."),
    };

    /// <summary>Uploads <paramref name="values"/> into a freshly created parameter.</summary>
    public static void Set(Parameter parameter, ReadOnlySpan<float> values) => parameter.Value.Upload(values);
}
