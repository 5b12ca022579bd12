using System.Text.Json.Nodes;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// Malformed, inconsistent and hostile model folders: each fails with a specific error naming the file (and the
/// weight or layer), and hostile shapes are refused before anything is allocated.
/// </summary>
public sealed class TfJsReaderErrorTests
{
    private static KerasModelWriter Model() => new KerasModelWriter()
        .Input("in", 4, 4, 2)
        .Layer("Conv2D", "conv", Cfg.Of(("filters", 3), ("kernel_size", 1)), "in")
        .RandomWeight("conv/kernel", [1, 1, 2, 3], 1)
        .RandomWeight("conv/bias", [3], 2)
        .Outputs("conv");

    /// <summary>Writes the model, lets <paramref name="edit"/> change model.json, and returns the reader's error.</summary>
    private static TfJsFormatException ReadEdited(TempDirectory dir, Action<JsonObject> edit, ModelFileOptions? options = null)
    {
        string modelFile = Model().Write(dir.Path, options);
        JsonObject json = JsonNode.Parse(File.ReadAllText(modelFile))!.AsObject();
        edit(json);
        File.WriteAllText(modelFile, json.ToJsonString());
        return Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(modelFile));
    }

    private static JsonObject FirstWeight(JsonObject json) => json["weightsManifest"]![0]!["weights"]![0]!.AsObject();

    private static JsonObject Config(JsonObject json) => json["modelTopology"]!["model_config"]!["config"]!.AsObject();

    [Fact]
    public void MissingModel_IsFileNotFound()
    {
        using var dir = new TempDirectory();
        Assert.Contains("holds no TensorFlow.js model", Assert.Throws<FileNotFoundException>(() => TfJsModelReader.Read(dir.Path)).Message);
        Assert.Throws<FileNotFoundException>(() => TfJsModelReader.Read(dir.File("nope.json")));
    }

    [Fact]
    public void MalformedJson_NamesTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.json"), "{\"modelTopology\": {");
        var e = Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(dir.Path));
        Assert.Equal(dir.File("model.json"), e.FilePath);
        Assert.Contains("not valid JSON", e.Message);
        Assert.StartsWith(dir.File("model.json"), e.Message);
    }

    [Fact]
    public void MissingFields_AndWrongKinds_NameTheField()
    {
        using var dir = new TempDirectory();
        Assert.Contains("has no 'modelTopology'", ReadEdited(dir, j => j.Remove("modelTopology")).Message);
        Assert.Contains("weightsManifest[0].weights[0] ('conv/kernel').shape must be an array", ReadEdited(dir, j => FirstWeight(j)["shape"] = "3").Message);
        Assert.Contains("only TensorFlow.js layers models", ReadEdited(dir, j => j["format"] = "graph-model").Message);
        Assert.Contains("expected a Keras Functional, Model or Sequential", ReadEdited(dir, j => j["modelTopology"]!["model_config"]!["class_name"] = "Foo").Message);
    }

    [Fact]
    public void MissingShard_NamesBothCandidates()
    {
        using var dir = new TempDirectory();
        Model().Write(dir.Path);
        File.Delete(dir.File("group1-shard1of1.bin"));
        var e = Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(dir.Path));
        Assert.Contains("weight shard 'group1-shard1of1.bin' is missing", e.Message);
        Assert.Contains("group1-shard1of1.bin.min.js", e.Message);
    }

    [Fact]
    public void ShardSizeMismatch_GivesBothSizes()
    {
        using var dir = new TempDirectory();
        Model().Write(dir.Path);
        byte[] bytes = File.ReadAllBytes(dir.File("group1-shard1of1.bin"));
        File.WriteAllBytes(dir.File("group1-shard1of1.bin"), bytes[..^1]);
        var e = Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(dir.Path));
        Assert.Contains("weights need 36 bytes, but its shards (group1-shard1of1.bin: 35) hold 35", e.Message);
    }

    [Fact]
    public void BadBase64Shard_NamesTheShard()
    {
        using var dir = new TempDirectory();
        Model().Write(dir.Path, new ModelFileOptions { ModuleShards = true });
        string shard = dir.File("group1-shard1of1.min.js");
        string text = File.ReadAllText(shard);
        int quote = text.IndexOf("exports=\"", StringComparison.Ordinal) + 9;
        File.WriteAllText(shard, text[..quote] + "*" + text[(quote + 1)..]);
        var e = Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(dir.Path));
        Assert.Equal(shard, e.FilePath);
        Assert.Contains("not valid base64", e.Message);

        File.WriteAllText(shard, text[..quote] + text[(quote + 1)..]);
        Assert.Contains("not a multiple of 4", Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(dir.Path)).Message);
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub//x.bin")]
    [InlineData("https://example.invalid/x.bin")]
    public void ShardPathsLeavingTheFolder_AreRefused(string path)
    {
        using var dir = new TempDirectory();
        var e = ReadEdited(dir, j => j["weightsManifest"]![0]!["paths"] = new JsonArray(path));
        Assert.Contains($"weight shard path '{path}' does not name a file inside the model folder", e.Message);
    }

    [Fact]
    public void HostileShapes_AreRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        Assert.Contains("negative dimension", ReadEdited(dir, j => FirstWeight(j)["shape"] = Cfg.Ints(1, -1, 2, 3)).Message);
        Assert.Contains($"more than {WeightsManifest.MaxElements} elements",
            ReadEdited(dir, j => FirstWeight(j)["shape"] = Cfg.Ints(100000, 100000, 100000, 3)).Message);
        Assert.Contains("more than 4 GiB", ReadEdited(dir, j =>
        {
            var weights = j["weightsManifest"]![0]!["weights"]!.AsArray();
            for (int i = 0; i < 5; i++)
                weights.Add(new JsonObject { ["name"] = $"big{i}", ["shape"] = Cfg.Ints(1 << 14, 1 << 14), ["dtype"] = "float32" });
        }).Message);
        // Within the limits but larger than the shard: the size check fails before the group is read.
        Assert.Contains("weights need", ReadEdited(dir, j => FirstWeight(j)["shape"] = Cfg.Ints(4096, 4096)).Message);
    }

    [Fact]
    public void UnknownDtypes_AndDuplicateNames_AreRefused()
    {
        using var dir = new TempDirectory();
        Assert.Contains("has dtype 'int32'; only float32", ReadEdited(dir, j => FirstWeight(j)["dtype"] = "int32").Message);
        Assert.Contains("expected uint8, uint16 or float16",
            ReadEdited(dir, j => FirstWeight(j)["quantization"] = new JsonObject { ["dtype"] = "int4" }).Message);
        Assert.Contains("quantization has no 'scale'",
            ReadEdited(dir, j => FirstWeight(j)["quantization"] = new JsonObject { ["dtype"] = "uint8", ["min"] = 0 }).Message);
        Assert.Contains("weight 'conv/kernel' appears twice",
            ReadEdited(dir, j => j["weightsManifest"]![0]!["weights"]![1]!["name"] = "conv/kernel").Message);
    }

    [Fact]
    public void TopologyErrors_NameTheLayer()
    {
        using var dir = new TempDirectory();
        JsonObject Conv(JsonObject j) => Config(j)["layers"]![1]!.AsObject();
        Assert.Contains("layer 'conv' is called 2 times (a shared layer)", ReadEdited(dir, j =>
            Conv(j)["inbound_nodes"] = new JsonArray(new JsonArray(new JsonArray("in", 0, 0, new JsonObject())), new JsonArray(new JsonArray("in", 0, 0, new JsonObject())))).Message);
        Assert.Contains("layer 'conv' reads 'ghost', which is not a layer", ReadEdited(dir, j =>
            Conv(j)["inbound_nodes"] = new JsonArray(new JsonArray(new JsonArray("ghost", 0, 0, new JsonObject())))).Message);
        Assert.Contains("Keras 3 inbound_nodes format", ReadEdited(dir, j =>
            Conv(j)["inbound_nodes"] = new JsonArray(new JsonObject { ["args"] = new JsonArray() })).Message);
        Assert.Contains("only single-output layers called once", ReadEdited(dir, j =>
            Conv(j)["inbound_nodes"] = new JsonArray(new JsonArray(new JsonArray("in", 1, 0, new JsonObject())))).Message);
        Assert.Contains("two layers are named 'in'", ReadEdited(dir, j => Conv(j)["name"] = "in").Message);
        Assert.Contains("output_layers name 'nowhere'", ReadEdited(dir, j => Config(j)["output_layers"] = new JsonArray(new JsonArray("nowhere", 0, 0))).Message);
    }

    [Fact]
    public void OversizedModelFile_IsRefusedUnread()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.json");
        using (var stream = File.Create(path)) stream.SetLength(TfJsModelReader.MaxModelFileBytes + 1);
        Assert.Contains("MiB is refused", Assert.Throws<TfJsFormatException>(() => TfJsModelReader.Read(path)).Message);
    }
}
