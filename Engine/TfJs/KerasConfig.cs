using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Typed reads of one Keras layer's <c>config</c> with Keras' defaults, failing with a <see cref="TfJsFormatException"/>
/// that names the file, the layer and the field ("layer 'Conv1' (Conv2D): config.strides must be ...").
/// </summary>
internal sealed class KerasConfig
{
    private readonly JsonFields _json;

    public KerasConfig(KerasLayer layer, string filePath)
    {
        Layer = layer;
        _json = new JsonFields(filePath);
        Where = $"layer '{layer.Name}' ({layer.ClassName})";
    }

    public KerasLayer Layer { get; }
    /// <summary>"layer 'name' (Class)" for messages.</summary>
    public string Where { get; }

    public bool Has(string name) => JsonFields.Optional(Layer.Config, name) is not null;

    public int Int(string name, int? fallback = null) =>
        JsonFields.Optional(Layer.Config, name) is { } v ? _json.Int(v, Field(name)) : fallback ?? throw Missing(name);

    public double Number(string name, double? fallback = null) =>
        JsonFields.Optional(Layer.Config, name) is { } v ? _json.Number(v, Field(name)) : fallback ?? throw Missing(name);

    /// <summary>The number, or null when absent or JSON null (ReLU's max_value).</summary>
    public double? OptionalNumber(string name) =>
        JsonFields.Optional(Layer.Config, name) is { } v ? _json.Number(v, Field(name)) : null;

    public bool Bool(string name, bool fallback) =>
        JsonFields.Optional(Layer.Config, name) is { } v ? _json.Bool(v, Field(name)) : fallback;

    public string String(string name, string? fallback = null) =>
        JsonFields.Optional(Layer.Config, name) is { } v ? _json.String(v, Field(name)) : fallback ?? throw Missing(name);

    /// <summary>A size given as one integer or a list of <paramref name="count"/> (kernel_size, strides, pool_size).</summary>
    public int[] Ints(string name, int count, int[]? fallback = null)
    {
        if (JsonFields.Optional(Layer.Config, name) is not { } v) return fallback ?? throw Missing(name);
        if (v.ValueKind == JsonValueKind.Number) return Enumerable.Repeat(_json.Int(v, Field(name)), count).ToArray();
        int[] values = _json.Array(v, Field(name)).Select((e, i) => _json.Int(e, $"{Field(name)}[{i}]")).ToArray();
        return values.Length == count ? values : throw Error($"config.{name} must have {count} values; got {v.GetRawText()}.");
    }

    /// <summary>Like <see cref="Ints"/>, each value at least <paramref name="minimum"/>.</summary>
    public int[] PositiveInts(string name, int count, int[]? fallback = null, int minimum = 1)
    {
        int[] values = Ints(name, count, fallback);
        if (values.Any(v => v < minimum)) throw Error($"config.{name} must be at least {minimum}; got [{string.Join(",", values)}].");
        return values;
    }

    /// <summary>A list of integers, possibly holding nulls (batch_input_shape, target_shape); null entries are -1.</summary>
    public int[] Shape(string name)
    {
        JsonElement v = JsonFields.Optional(Layer.Config, name) ?? throw Missing(name);
        return _json.Array(v, Field(name))
            .Select((e, i) => e.ValueKind == JsonValueKind.Null ? -1 : _json.Int(e, $"{Field(name)}[{i}]"))
            .ToArray();
    }

    /// <summary>The raw field, or null.</summary>
    public JsonElement? Raw(string name) => JsonFields.Optional(Layer.Config, name);

    /// <summary>Refuses <c>data_format: channels_first</c>: the importer maps Keras' channels-last tensors to NCHW.</summary>
    public void RequireChannelsLast()
    {
        string format = String("data_format", "channels_last");
        if (format != "channels_last")
            throw Error($"data_format '{format}' is not supported; only channels_last models are imported.");
    }

    /// <summary>"same" or "valid" (case-insensitive), as a bool: true for same.</summary>
    public bool SamePadding()
    {
        string padding = String("padding", "valid").ToLowerInvariant();
        return padding switch
        {
            "same" => true,
            "valid" => false,
            _ => throw Error($"config.padding '{padding}' is not supported; expected 'same' or 'valid'."),
        };
    }

    public TfJsFormatException Error(string message) => _json.Error($"{Where}: {message}");

    private string Field(string name) => $"{Where} config.{name}";

    private TfJsFormatException Missing(string name) => Error($"config has no '{name}'.");
}
