using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Reads one JavaScript literal value — what minified model bundles (<c>model.min.js</c>) export — and rewrites it
/// as JSON. Accepted subset: objects with identifier, string or number keys; arrays; single- or double-quoted
/// strings with JS escapes; numbers with a leading or trailing dot, an exponent, a sign or a 0x prefix; the
/// minifier's <c>!0</c> / <c>!1</c> for true / false; <c>true</c>, <c>false</c>, <c>null</c>, <c>undefined</c> and
/// <c>void 0</c> (null). Trailing commas are allowed. Anything else (functions, calls, NaN, Infinity, comments)
/// is refused with the offset at which it stands. Nesting is limited to <see cref="MaxDepth"/>.
/// </summary>
internal sealed class JsLiteral
{
    /// <summary>Deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly string _filePath;
    private readonly Utf8JsonWriter _writer;
    private int _pos;

    private JsLiteral(string text, int start, string filePath, Utf8JsonWriter writer)
    {
        _text = text;
        _pos = start;
        _filePath = filePath;
        _writer = writer;
    }

    /// <summary>
    /// Converts the literal starting at <paramref name="start"/> in <paramref name="text"/> to UTF-8 JSON.
    /// </summary>
    /// <exception cref="TfJsFormatException">The text there is not a literal of the accepted subset.</exception>
    public static byte[] ToJson(string text, int start, string filePath)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = false }))
        {
            var reader = new JsLiteral(text, start, filePath, writer);
            reader.Value(0);
        }
        return stream.ToArray();
    }

    /// <summary>The JS string literal (single or double quoted) at <paramref name="start"/>, unescaped.</summary>
    /// <exception cref="TfJsFormatException">No string there, or an unterminated one, or a bad escape.</exception>
    public static string ReadString(string text, int start, string filePath)
    {
        if (start >= text.Length || text[start] is not ('"' or '\''))
            throw new TfJsFormatException(filePath, $"JavaScript literal at offset {start}: expected a string.");
        // Fast path: base64 payloads carry no escapes.
        int end = text.IndexOf(text[start], start + 1);
        if (end >= 0 && text.IndexOf('\\', start + 1, end - start - 1) < 0 && text.IndexOfAny(['\n', '\r'], start + 1, end - start - 1) < 0)
            return text.Substring(start + 1, end - start - 1);
        using var writer = new Utf8JsonWriter(Stream.Null);
        return new JsLiteral(text, start, filePath, writer).String();
    }

    private void Value(int depth)
    {
        if (depth > MaxDepth) throw Error($"nesting deeper than {MaxDepth} levels");
        SkipSpace();
        if (_pos >= _text.Length) throw Error("the literal ends early");
        char ch = _text[_pos];
        switch (ch)
        {
            case '{': Object(depth); break;
            case '[': Array(depth); break;
            case '"' or '\'': _writer.WriteStringValue(String()); break;
            case '!': Not(); break;
            default:
                if (ch is '-' or '+' or '.' || char.IsAsciiDigit(ch)) _writer.WriteRawValue(Number(), skipInputValidation: false);
                else Word();
                break;
        }
    }

    private void Object(int depth)
    {
        _pos++; // '{'
        _writer.WriteStartObject();
        while (true)
        {
            SkipSpace();
            if (Peek() == '}') { _pos++; break; }
            _writer.WritePropertyName(Key());
            SkipSpace();
            Expect(':');
            Value(depth + 1);
            SkipSpace();
            if (Peek() == ',') { _pos++; continue; }
            Expect('}');
            break;
        }
        _writer.WriteEndObject();
    }

    private void Array(int depth)
    {
        _pos++; // '['
        _writer.WriteStartArray();
        while (true)
        {
            SkipSpace();
            if (Peek() == ']') { _pos++; break; }
            Value(depth + 1);
            SkipSpace();
            if (Peek() == ',') { _pos++; continue; }
            Expect(']');
            break;
        }
        _writer.WriteEndArray();
    }

    private string Key()
    {
        char ch = Peek();
        if (ch is '"' or '\'') return String();
        if (char.IsAsciiDigit(ch) || ch == '.') return Number();
        string word = Identifier();
        if (word.Length == 0) throw Error($"expected a property name, found {Describe(ch)}");
        return word;
    }

    /// <summary><c>!0</c> is true and <c>!1</c> false (the minifier's booleans).</summary>
    private void Not()
    {
        _pos++; // '!'
        SkipSpace();
        char ch = Peek();
        if (ch is not ('0' or '1')) throw Error($"expected !0 or !1, found !{Describe(ch)}");
        _pos++;
        if (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '.')) throw Error("expected !0 or !1");
        _writer.WriteBooleanValue(ch == '0');
    }

    private void Word()
    {
        int at = _pos;
        string word = Identifier();
        switch (word)
        {
            case "true": _writer.WriteBooleanValue(true); break;
            case "false": _writer.WriteBooleanValue(false); break;
            case "null" or "undefined": _writer.WriteNullValue(); break;
            case "void":
                SkipSpace();
                Number();
                _writer.WriteNullValue();
                break;
            default:
                _pos = at;
                throw Error(word.Length == 0
                    ? $"expected a value, found {Describe(Peek())}"
                    : $"'{word}' is not a literal value (only objects, arrays, strings, numbers, booleans and null are read)");
        }
    }

    private string Identifier()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '$')) _pos++;
        return _text[start.._pos];
    }

    /// <summary>A JS number literal as JSON number text: "-.5" gives "-0.5", "5." gives "5", "0x1F" gives "31".</summary>
    private string Number()
    {
        int start = _pos;
        bool negative = false;
        if (Peek() is '-' or '+') { negative = _text[_pos] == '-'; _pos++; SkipSpace(); }
        if (Peek() == '0' && _pos + 1 < _text.Length && _text[_pos + 1] is 'x' or 'X')
        {
            _pos += 2;
            int hexStart = _pos;
            while (_pos < _text.Length && char.IsAsciiHexDigit(_text[_pos])) _pos++;
            if (_pos == hexStart || !ulong.TryParse(_text.AsSpan(hexStart, _pos - hexStart), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
                throw Error("bad hexadecimal number", start);
            return (negative ? "-" : "") + hex.ToString(CultureInfo.InvariantCulture);
        }
        var sb = new StringBuilder(negative ? "-" : "");
        int intStart = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        sb.Append(_pos > intStart ? _text.AsSpan(intStart, _pos - intStart) : "0");
        bool anyDigit = _pos > intStart;
        if (Peek() == '.')
        {
            _pos++;
            int fracStart = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (_pos > fracStart) sb.Append('.').Append(_text.AsSpan(fracStart, _pos - fracStart));
            anyDigit |= _pos > fracStart;
        }
        if (!anyDigit) throw Error("expected a number", start);
        if (Peek() is 'e' or 'E')
        {
            _pos++;
            sb.Append('e');
            if (Peek() is '-' or '+') sb.Append(_text[_pos++]);
            int expStart = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (_pos == expStart) throw Error("a number's exponent has no digits", start);
            sb.Append(_text.AsSpan(expStart, _pos - expStart));
        }
        if (_pos < _text.Length && (char.IsAsciiLetter(_text[_pos]) || _text[_pos] is '_' or '$'))
            throw Error($"'{_text[start..(_pos + 1)]}' is not a number", start);
        return sb.ToString();
    }

    private string String()
    {
        char quote = _text[_pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error("a string is not closed");
            char ch = _text[_pos++];
            if (ch == quote) return sb.ToString();
            if (ch is '\n' or '\r') throw Error("a line break inside a string");
            if (ch != '\\') { sb.Append(ch); continue; }
            if (_pos >= _text.Length) throw Error("a string is not closed");
            char escape = _text[_pos++];
            switch (escape)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0' when !char.IsAsciiDigit(Peek()): sb.Append('\0'); break;
                case 'x': sb.Append((char)Hex(2)); break;
                case 'u' when Peek() == '{':
                    _pos++;
                    int end = _text.IndexOf('}', _pos);
                    if (end < 0 || end - _pos is < 1 or > 6 || !int.TryParse(_text.AsSpan(_pos, end - _pos), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code) || code > 0x10FFFF)
                        throw Error("bad \\u{...} escape");
                    sb.Append(char.ConvertFromUtf32(code));
                    _pos = end + 1;
                    break;
                case 'u': sb.Append((char)Hex(4)); break;
                case '\n': break; // line continuation
                default:
                    if (char.IsAsciiDigit(escape)) throw Error("octal escapes are not read");
                    sb.Append(escape); // \" \' \\ \/ and identity escapes
                    break;
            }
        }
    }

    private int Hex(int digits)
    {
        if (_pos + digits > _text.Length ||
            !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value))
            throw Error("bad hexadecimal escape");
        _pos += digits;
        return value;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void Expect(char ch)
    {
        if (Peek() != ch) throw Error($"expected '{ch}', found {Describe(Peek())}");
        _pos++;
    }

    private static string Describe(char ch) => ch == '\0' ? "the end" : $"'{ch}'";

    private TfJsFormatException Error(string what, int? at = null) =>
        new(_filePath, $"JavaScript literal at offset {at ?? _pos}: {what}.");
}
