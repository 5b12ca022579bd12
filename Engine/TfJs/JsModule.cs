namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// The payload of a JavaScript module that some npm packages ship instead of <c>model.json</c> and <c>.bin</c>
/// shards: a (browserified, minified) CommonJS/UMD wrapper around one assignment <c>exports=&lt;literal&gt;</c>.
/// nsfwjs 4.3.0, for instance, ships <c>dist/models/mobilenet_v2/model.min.js</c>, whose payload is the
/// model.json object as a JS object literal (<c>a.exports={modelTopology:{...},weightsManifest:[...]}</c>), and
/// <c>group1-shard1of1.min.js</c>, whose payload is the weight shard's bytes as one base64 string
/// (<c>a.exports="...base64..."</c>). The first <c>exports=</c> followed by an object literal (for the model) or
/// a string literal (for a shard) is the payload; UMD prologues such as <c>module.exports=e()</c> are skipped.
/// </summary>
internal static class JsModule
{
    private const string Marker = "exports";

    /// <summary>The module's exported object literal, as UTF-8 JSON.</summary>
    /// <exception cref="TfJsFormatException">No exported object literal, or one outside the subset <see cref="JsLiteral"/> reads.</exception>
    public static byte[] ExportedObjectJson(string text, string filePath)
    {
        int start = FindPayload(text, '{')
            ?? throw new TfJsFormatException(filePath, "no 'exports={...}' object literal found; not a model.json module.");
        return JsLiteral.ToJson(text, start, filePath);
    }

    /// <summary>The module's exported string literal, unescaped (a base64 shard's payload).</summary>
    /// <exception cref="TfJsFormatException">No exported string literal, or a malformed one.</exception>
    public static string ExportedString(string text, string filePath)
    {
        int start = FindPayload(text, '"', '\'')
            ?? throw new TfJsFormatException(filePath, "no 'exports=\"...\"' string literal found; not a weight shard module.");
        return JsLiteral.ReadString(text, start, filePath);
    }

    /// <summary>Offset of the first literal opened by one of <paramref name="openers"/> right after an <c>exports=</c>.</summary>
    private static int? FindPayload(string text, params char[] openers)
    {
        for (int at = text.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Marker, at + 1, StringComparison.Ordinal))
        {
            int i = SkipSpace(text, at + Marker.Length);
            if (i >= text.Length || text[i] != '=' || (i + 1 < text.Length && text[i + 1] == '=')) continue;
            i = SkipSpace(text, i + 1);
            if (i < text.Length && Array.IndexOf(openers, text[i]) >= 0) return i;
        }
        return null;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }
}
