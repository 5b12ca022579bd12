using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// The reader on small hand-made models: every weight storage (float32, float16, uint8, uint16) through plain
/// <c>.bin</c> shards and base64 <c>.min.js</c> modules, split over several shards, from model.json and from a
/// minified model.min.js; topology parsing (Functional and Sequential); weight lookup by layer and kind.
/// </summary>
public sealed class TfJsModelReaderTests
{
    private static KerasModelWriter SmallModel() => new KerasModelWriter()
        .Input("input_1", 5, 4, 3)
        .Layer("Conv2D", "conv", Cfg.Of(("filters", 2), ("kernel_size", Cfg.Ints(3, 3)), ("padding", "same"), ("use_bias", true)), "input_1")
        .RandomWeight("conv/kernel", [3, 3, 3, 2], seed: 1)
        .RandomWeight("conv/bias", [2], seed: 2, min: -3, max: 7)
        .Outputs("conv");

    public static TheoryData<WeightStorage, bool, bool, int> Formats()
    {
        var data = new TheoryData<WeightStorage, bool, bool, int>();
        foreach (WeightStorage storage in Enum.GetValues<WeightStorage>())
        {
            data.Add(storage, false, false, 1);
            data.Add(storage, true, true, 3);
        }
        data.Add(WeightStorage.Uint8, true, false, 2);
        data.Add(WeightStorage.Float32, false, true, 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Read_DecodesEveryStorageAndShardFormat_AsTensorFlowJsDoes(WeightStorage storage, bool moduleShards, bool moduleModelFile, int shards)
    {
        using var dir = new TempDirectory();
        KerasModelWriter writer = SmallModel();
        var options = new ModelFileOptions { Storage = storage, ModuleShards = moduleShards, ModuleModelFile = moduleModelFile, ShardCount = shards };
        string modelFile = writer.Write(dir.Path, options);

        TfJsModel model = TfJsModelReader.Read(dir.Path); // the folder: model.json, else model.min.js
        Assert.Equal(modelFile, model.SourcePath);
        Dictionary<string, float[]> expected = writer.Decoded(storage);
        Assert.Equal(2, model.Weights.Count);
        foreach (var (name, values) in expected)
        {
            TfJsWeight weight = model.Weights[name];
            Assert.Equal(storage, weight.Spec.Storage);
            Assert.Equal(values, weight.Values.ToArray()); // bit-exact
        }
        Assert.Equal([3, 3, 3, 2], model.FindWeight("conv", "kernel")!.Shape);
        Assert.Equal(shards, model.Manifest[0].Paths.Count);
    }

    [Fact]
    public void Read_QuantizedValues_StayWithinHalfAStepOfTheOriginals()
    {
        float[] original = TestData.ToFloat(TestData.Uniform(3, 54, -2, 5));
        foreach (var (storage, levels) in new[] { (WeightStorage.Uint8, 255.0), (WeightStorage.Uint16, 65535.0) })
        {
            var (_, decoded, min, scale) = KerasModelWriter.Encode(original, storage);
            Assert.Equal((original.Max() - original.Min()) / levels, scale, 1e-9);
            Assert.Equal(original.Min(), min, 1e-9);
            for (int i = 0; i < original.Length; i++) Assert.True(Math.Abs(decoded[i] - original[i]) <= scale / 2 + 1e-6, $"{storage} value {i}");
        }
    }

    [Fact]
    public void Read_Topology_GivesLayersInboundNamesAndOutputs()
    {
        using var dir = new TempDirectory();
        new KerasModelWriter()
            .Input("in", 8, 8, 4)
            .Layer("ReLU", "a", Cfg.Of(("max_value", 6)), "in")
            .Layer("ReLU", "b", Cfg.Of(), "in")
            .Layer("Add", "sum", Cfg.Of(), "a", "b")
            .Outputs("sum", "a")
            .Write(dir.Path);
        KerasTopology topology = TfJsModelReader.Read(dir.File("model.json")).Topology;
        Assert.Equal("test_model", topology.Name);
        Assert.Equal(["in", "a", "b", "sum"], topology.Layers.Select(l => l.Name));
        Assert.Equal(["a", "b"], topology.Layer("sum").Inputs);
        Assert.Equal(["in"], topology.InputLayers);
        Assert.Equal(["sum", "a"], topology.OutputLayers);
        Assert.Equal("ReLU", topology.Layer("a").ClassName);
        Assert.Equal(6, topology.Layer("a").Config.GetProperty("max_value").GetInt32());
        Assert.Contains("no layer 'zzz'", Assert.Throws<KeyNotFoundException>(() => topology.Layer("zzz")).Message);
    }

    [Fact]
    public void Read_SequentialWithoutInputLayer_SynthesizesTheInputAndChainsTheLayers()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.json"), """
            {"modelTopology": {"class_name": "Sequential", "config": {"name": "seq", "layers": [
              {"class_name": "Dense", "config": {"name": "d1", "units": 3, "batch_input_shape": [null, 4]}},
              {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}},
              {"class_name": "Dense", "config": {"name": "d2", "units": 2}}]}},
             "weightsManifest": []}
            """);
        KerasTopology topology = TfJsModelReader.Read(dir.File("model.json")).Topology;
        Assert.Equal(["d1_input", "d1", "drop", "d2"], topology.Layers.Select(l => l.Name));
        Assert.Equal("InputLayer", topology.Layers[0].ClassName);
        Assert.Equal(["d1_input"], topology.Layer("d1").Inputs);
        Assert.Equal(["d1"], topology.Layer("drop").Inputs);
        Assert.Equal(["d1_input"], topology.InputLayers);
        Assert.Equal(["d2"], topology.OutputLayers);
    }

    [Fact]
    public void FindWeight_AcceptsScopePrefixesAndTensorSuffixes()
    {
        using var dir = new TempDirectory();
        new KerasModelWriter()
            .Input("in", 2)
            .Layer("Dense", "dense", Cfg.Of(("units", 1)), "in")
            .Weight("model_1/dense/kernel:0", [2, 1], [1, 2])
            .Weight("dense/bias", [1], [3])
            .Outputs("dense")
            .Write(dir.Path);
        TfJsModel model = TfJsModelReader.Read(dir.Path);
        Assert.Equal([1f, 2f], model.FindWeight("dense", "kernel")!.Values.ToArray());
        Assert.Equal([3f], model.FindWeight("dense", "bias")!.Values.ToArray());
        Assert.Null(model.FindWeight("dense", "gamma"));
        Assert.Null(model.FindWeight("nse", "kernel")); // a suffix match must start at a '/'
    }
}
