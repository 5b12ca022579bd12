using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>One Keras layer of a model.json: its class (<c>Conv2D</c>, ...), its config object and the layers it reads.</summary>
/// <param name="Config">The layer's <c>config</c> object (a standalone copy).</param>
/// <param name="Inputs">Names of the layers whose (single) output tensors this layer reads, in order; empty for inputs.</param>
public sealed record KerasLayer(string Name, string ClassName, JsonElement Config, IReadOnlyList<string> Inputs);

/// <summary>
/// The layer graph of a Keras model as TensorFlow.js stores it in <c>modelTopology</c>: a <c>Functional</c>/<c>Model</c>
/// config (layers with <c>inbound_nodes</c>, <c>input_layers</c>, <c>output_layers</c>) or a <c>Sequential</c> one
/// (a chain; an <c>InputLayer</c> is synthesized from the first layer's <c>batch_input_shape</c> when absent).
/// Both the Keras 2 wrapper <c>{model_config: {...}}</c> and the bare <c>{class_name, config}</c> are read. Each layer
/// may be called once (shared layers are refused), and each reads output 0 of its inputs.
/// </summary>
public sealed record KerasTopology(string Name, IReadOnlyList<KerasLayer> Layers, IReadOnlyList<string> InputLayers, IReadOnlyList<string> OutputLayers)
{
    /// <summary>The layer called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such layer; the message lists a few that exist.</exception>
    public KerasLayer Layer(string name) =>
        Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new KeyNotFoundException($"Model '{Name}' has no layer '{name}'; it has {string.Join(", ", Layers.Take(8).Select(l => l.Name))}{(Layers.Count > 8 ? ", ..." : "")}.");

    /// <exception cref="TfJsFormatException">Any structural problem, naming the file and the layer.</exception>
    internal static KerasTopology Parse(JsonElement modelTopology, string filePath)
    {
        var json = new JsonFields(filePath);
        JsonElement model = JsonFields.Optional(modelTopology, "model_config") ?? modelTopology;
        string className = json.String(json.Property(model, "class_name", "modelTopology"), "modelTopology.class_name");
        JsonElement config = json.Property(model, "config", "modelTopology");
        return className switch
        {
            "Functional" or "Model" => ParseFunctional(json, config),
            "Sequential" => ParseSequential(json, config),
            _ => throw json.Error($"modelTopology is a '{className}'; expected a Keras Functional, Model or Sequential model (a layers model, not a graph model)."),
        };
    }

    private static KerasTopology ParseFunctional(JsonFields json, JsonElement config)
    {
        string name = JsonFields.Optional(config, "name") is { } n ? json.String(n, "model name") : "model";
        var layers = new List<KerasLayer>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<JsonElement> elements = json.Array(json.Property(config, "layers", "model config"), "model config.layers");
        for (int i = 0; i < elements.Count; i++)
        {
            JsonElement element = elements[i];
            string where = $"layers[{i}]";
            string className = json.String(json.Property(element, "class_name", where), where + ".class_name");
            JsonElement layerConfig = json.Property(element, "config", where);
            string layerName = json.String(JsonFields.Optional(element, "name") ?? json.Property(layerConfig, "name", where), where + ".name");
            where = $"layer '{layerName}'";
            if (!names.Add(layerName)) throw json.Error($"two layers are named '{layerName}'.");
            var inputs = new List<string>();
            IReadOnlyList<JsonElement> nodes = JsonFields.Optional(element, "inbound_nodes") is { } inbound ? json.Array(inbound, where + ".inbound_nodes") : [];
            if (nodes.Count > 1)
                throw json.Error($"{where} is called {nodes.Count} times (a shared layer); shared layers are not supported.");
            if (nodes.Count == 1)
            {
                if (nodes[0].ValueKind == JsonValueKind.Object)
                    throw json.Error($"{where} uses the Keras 3 inbound_nodes format; save the model with Keras 2 / tfjs-converter layers format.");
                foreach (JsonElement reference in json.Array(nodes[0], where + ".inbound_nodes[0]"))
                    inputs.Add(Reference(json, reference, where + " inbound node"));
            }
            layers.Add(new KerasLayer(layerName, className, layerConfig.Clone(), inputs));
        }
        foreach (KerasLayer layer in layers)
            foreach (string input in layer.Inputs)
                if (!names.Contains(input)) throw json.Error($"layer '{layer.Name}' reads '{input}', which is not a layer of the model.");
        var inputLayers = References(json, json.Property(config, "input_layers", "model config"), "input_layers");
        var outputLayers = References(json, json.Property(config, "output_layers", "model config"), "output_layers");
        foreach (string layer in inputLayers.Concat(outputLayers))
            if (!names.Contains(layer)) throw json.Error($"input_layers/output_layers name '{layer}', which is not a layer of the model.");
        return new KerasTopology(name, layers, inputLayers, outputLayers);
    }

    private static KerasTopology ParseSequential(JsonFields json, JsonElement config)
    {
        // Keras 2.0 stored the layer list itself as the config; later versions wrap it in {name, layers}.
        JsonElement list = config.ValueKind == JsonValueKind.Array ? config : json.Property(config, "layers", "Sequential config");
        string name = config.ValueKind == JsonValueKind.Object && JsonFields.Optional(config, "name") is { } n ? json.String(n, "model name") : "sequential";
        IReadOnlyList<JsonElement> elements = json.Array(list, "Sequential layers");
        if (elements.Count == 0) throw json.Error("the Sequential model has no layers.");
        var layers = new List<KerasLayer>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < elements.Count; i++)
        {
            string where = $"layers[{i}]";
            string className = json.String(json.Property(elements[i], "class_name", where), where + ".class_name");
            JsonElement layerConfig = json.Property(elements[i], "config", where);
            string layerName = JsonFields.Optional(layerConfig, "name") is { } ln ? json.String(ln, where + ".config.name") : $"{className.ToLowerInvariant()}_{i}";
            if (i == 0 && className != "InputLayer")
            {
                JsonElement shape = JsonFields.Optional(layerConfig, "batch_input_shape") ?? JsonFields.Optional(layerConfig, "batch_shape")
                    ?? throw json.Error($"the first layer '{layerName}' of the Sequential model has no batch_input_shape.");
                string inputName = layerName + "_input";
                using JsonDocument inputConfig = JsonDocument.Parse($"{{\"name\":{JsonSerializer.Serialize(inputName)},\"batch_input_shape\":{shape.GetRawText()}}}");
                layers.Add(new KerasLayer(inputName, "InputLayer", inputConfig.RootElement.Clone(), []));
                names.Add(inputName);
            }
            if (!names.Add(layerName)) throw json.Error($"two layers are named '{layerName}'.");
            layers.Add(new KerasLayer(layerName, className, layerConfig.Clone(), layers.Count == 0 ? [] : [layers[^1].Name]));
        }
        return new KerasTopology(name, layers, [layers[0].Name], [layers[^1].Name]);
    }

    /// <summary>["name", nodeIndex, tensorIndex(, kwargs)] -> name; only node 0, tensor 0 is supported.</summary>
    private static string Reference(JsonFields json, JsonElement reference, string where)
    {
        IReadOnlyList<JsonElement> parts = json.Array(reference, where);
        if (parts.Count < 3) throw json.Error($"{where} must be [layer, node, tensor]; got {reference.GetRawText()}.");
        string layer = json.String(parts[0], where + " layer name");
        int node = json.Int(parts[1], where + " node index");
        int tensor = json.Int(parts[2], where + " tensor index");
        if (node != 0 || tensor != 0)
            throw json.Error($"{where} reads output {tensor} of call {node} of '{layer}'; only single-output layers called once are supported.");
        return layer;
    }

    private static List<string> References(JsonFields json, JsonElement element, string where)
    {
        IReadOnlyList<JsonElement> items = json.Array(element, where);
        // A single reference may be stored bare: ["input_1", 0, 0].
        if (items.Count > 0 && items[0].ValueKind == JsonValueKind.String) return [Reference(json, element, where)];
        var names = items.Select((r, i) => Reference(json, r, $"{where}[{i}]")).ToList();
        if (names.Count == 0) throw json.Error($"{where} is empty.");
        return names;
    }
}
