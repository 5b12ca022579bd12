using System.Text.Json;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>The JS-literal-to-JSON reader and the module payload finder behind model.min.js / shard .min.js files.</summary>
public sealed class JsLiteralTests
{
    private static JsonElement Parse(string literal)
    {
        byte[] json = JsLiteral.ToJson(literal, 0, "test.js");
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void MinifiedLiteral_BecomesTheSameJson()
    {
        JsonElement e = Parse("{a:!0,b:!1,c:.5,d:-.25,e:5.,f:1e-7,g:0x1F,h:'it\\'s',i:\"\\x41\\u0042\\u{1F600}\\n\",j:void 0,k:undefined,"
            + "l:null,m:[1,2,],\"quoted key\":{nested:{deep:[true,false]}},7:\"numeric key\",$_x:+3,}");
        Assert.True(e.GetProperty("a").GetBoolean());
        Assert.False(e.GetProperty("b").GetBoolean());
        Assert.Equal(0.5, e.GetProperty("c").GetDouble());
        Assert.Equal(-0.25, e.GetProperty("d").GetDouble());
        Assert.Equal(5, e.GetProperty("e").GetDouble());
        Assert.Equal(1e-7, e.GetProperty("f").GetDouble());
        Assert.Equal(31, e.GetProperty("g").GetInt32());
        Assert.Equal("it's", e.GetProperty("h").GetString());
        Assert.Equal("AB\U0001F600\n", e.GetProperty("i").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("j").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("k").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("l").ValueKind);
        Assert.Equal(2, e.GetProperty("m").GetArrayLength());
        Assert.True(e.GetProperty("quoted key").GetProperty("nested").GetProperty("deep")[0].GetBoolean());
        Assert.Equal("numeric key", e.GetProperty("7").GetString());
        Assert.Equal(3, e.GetProperty("$_x").GetInt32());
    }

    [Fact]
    public void NumbersKeepTheirDigits()
    {
        JsonElement e = Parse("[.03262380805670046,-5.0893140568452715,8e-20,1280,1E+21]");
        Assert.Equal(0.03262380805670046, e[0].GetDouble());
        Assert.Equal(-5.0893140568452715, e[1].GetDouble());
        Assert.Equal(8e-20, e[2].GetDouble());
        Assert.Equal(1280, e[3].GetInt32());
        Assert.Equal(1e21, e[4].GetDouble());
    }

    [Theory]
    [InlineData("{a:f()}", "'f' is not a literal value")]
    [InlineData("{a:NaN}", "'NaN' is not a literal value")]
    [InlineData("[1,2", "expected ']'")]
    [InlineData("{a:\"open", "not closed")]
    [InlineData("{a:1 b:2}", "expected '}'")]
    [InlineData("{a:!2}", "expected !0 or !1")]
    [InlineData("{a:/*c*/1}", "expected a value")]
    [InlineData("{a:12abc}", "is not a number")]
    [InlineData("{a:'\\101'}", "octal")]
    public void BadLiteral_IsRefusedWithItsOffset(string literal, string message)
    {
        var e = Assert.Throws<TfJsFormatException>(() => JsLiteral.ToJson(literal, 0, "bad.js"));
        Assert.Contains(message, e.Message);
        Assert.Contains("offset", e.Message);
        Assert.Equal("bad.js", e.FilePath);
    }

    [Fact]
    public void DeepNesting_IsRefused()
    {
        string deep = new string('[', JsLiteral.MaxDepth + 2) + new string(']', JsLiteral.MaxDepth + 2);
        Assert.Contains("nesting deeper", Assert.Throws<TfJsFormatException>(() => JsLiteral.ToJson(deep, 0, "deep.js")).Message);
    }

    [Fact]
    public void Module_SkipsTheUmdPrologueAndComparisons_AndFindsTheExportedObject()
    {
        string text = "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();" +
                      "else if(n.exports==null){}}(function(){return{1:[function(e,a,n){a.exports = {format:\"layers-model\",x:[.5]}},{}]}});";
        using JsonDocument document = JsonDocument.Parse(JsModule.ExportedObjectJson(text, "model.min.js"));
        Assert.Equal("layers-model", document.RootElement.GetProperty("format").GetString());
        Assert.Equal(0.5, document.RootElement.GetProperty("x")[0].GetDouble());
    }

    [Fact]
    public void Module_ExportedString_FastPathAndEscapes()
    {
        Assert.Equal("QUJD+/8=", JsModule.ExportedString("module.exports=e();a.exports=\"QUJD+/8=\"}", "s.min.js"));
        Assert.Equal("QUJD+/8=", JsModule.ExportedString("a.exports='QUJD\\u002B\\/8='", "s.min.js"));
    }

    [Fact]
    public void Module_WithoutPayload_IsRefusedNamingTheFile()
    {
        var noObject = Assert.Throws<TfJsFormatException>(() => JsModule.ExportedObjectJson("module.exports=e();", "m.min.js"));
        Assert.Contains("m.min.js", noObject.Message);
        Assert.Contains("no 'exports={...}'", noObject.Message);
        var noString = Assert.Throws<TfJsFormatException>(() => JsModule.ExportedString("a.exports={a:1}", "s.min.js"));
        Assert.Contains("not a weight shard module", noString.Message);
        Assert.Contains("not closed", Assert.Throws<TfJsFormatException>(() => JsModule.ExportedString("a.exports=\"QUJD", "s.min.js")).Message);
    }
}
