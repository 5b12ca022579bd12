using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Typed reads of a model.json's fields that fail with a <see cref="TfJsFormatException"/> naming the file and the
/// field's place ("weightsManifest[0].weights[3].shape") instead of a bare <see cref="KeyNotFoundException"/>.
/// </summary>
internal readonly record struct JsonFields(string FilePath)
{
    public JsonElement Property(JsonElement obj, string name, string where)
    {
        RequireKind(obj, JsonValueKind.Object, where);
        return obj.TryGetProperty(name, out JsonElement value)
            ? value
            : throw Error($"{where} has no '{name}'.");
    }

    /// <summary>The property, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public string String(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.String, where);
        return element.GetString()!;
    }

    public double Number(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Number, where);
        double value = element.GetDouble();
        return double.IsFinite(value) ? value : throw Error($"{where} must be finite; got {element.GetRawText()}.");
    }

    public int Int(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Number, where);
        return element.TryGetInt32(out int value) ? value : throw Error($"{where} must be a 32-bit integer; got {element.GetRawText()}.");
    }

    public bool Bool(JsonElement element, string where)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False) return element.GetBoolean();
        throw Error($"{where} must be true or false; got {element.GetRawText()}.");
    }

    public IReadOnlyList<JsonElement> Array(JsonElement element, string where)
    {
        RequireKind(element, JsonValueKind.Array, where);
        return element.EnumerateArray().ToList();
    }

    public void RequireKind(JsonElement element, JsonValueKind kind, string where)
    {
        if (element.ValueKind != kind)
            throw Error($"{where} must be {Describe(kind)}; got {Describe(element.ValueKind)}.");
    }

    public TfJsFormatException Error(string message) => new(FilePath, message);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
