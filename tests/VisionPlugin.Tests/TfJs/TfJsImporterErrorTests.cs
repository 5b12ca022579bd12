using System.Text.Json.Nodes;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// Models the importer cannot build: unsupported layer types (one error listing them all), weights missing or of the
/// wrong shape, unknown outputs, activations, data formats and input sizes, and element orders it cannot reproduce.
/// </summary>
[Collection("Gpu")]
public sealed class TfJsImporterErrorTests(GpuFixture gpu)
{
    private TfJsFormatException ImportFails(KerasModelWriter writer, TfJsImportOptions? options = null)
    {
        using var dir = new TempDirectory();
        writer.Write(dir.Path);
        return gpu.Run(ctx => Assert.Throws<TfJsFormatException>(() => TfJsImporter.Import(ctx, dir.Path, options)));
    }

    private static KerasModelWriter Conv(JsonObject? extra = null, int[]? kernelShape = null)
    {
        JsonObject config = Cfg.Of(("filters", 3), ("kernel_size", 1));
        foreach (var (key, value) in extra ?? []) config[key] = value?.DeepClone();
        return new KerasModelWriter()
            .Input("in", 4, 4, 2)
            .Layer("Conv2D", "conv", config, "in")
            .RandomWeight("conv/kernel", kernelShape ?? [1, 1, 2, 3], 1)
            .RandomWeight("conv/bias", [3], 2)
            .Outputs("conv");
    }

    [Fact]
    public void UnsupportedLayers_AreAllListedInOneError_WithTheLayersUsingThem()
    {
        var e = ImportFails(Conv()
            .Layer("LSTM", "lstm_1", Cfg.Of(), "conv")
            .Layer("Conv3D", "c3", Cfg.Of(), "lstm_1")
            .Layer("LSTM", "lstm_2", Cfg.Of(), "c3")
            .Outputs("lstm_2"));
        Assert.Contains("unsupported Keras layer types: Conv3D (c3); LSTM (lstm_1, lstm_2).", e.Message);
        Assert.Contains("Supported: InputLayer, Conv2D", e.Message);
    }

    [Fact]
    public void UnsupportedLayersAfterTheRequestedOutputs_AreNotBuiltNorReported()
    {
        using var dir = new TempDirectory();
        Conv().Layer("LSTM", "head", Cfg.Of(), "conv").Outputs("head").Write(dir.Path);
        gpu.Run(ctx =>
        {
            using Model trunk = TfJsImporter.Import(ctx, dir.Path, new TfJsImportOptions { Outputs = ["conv"] });
            Assert.Equal(["conv"], trunk.Layers.Select(l => l.Name));
        });
    }

    [Fact]
    public void MissingOrMisshapenWeights_NameTheLayerAndShapes()
    {
        var missing = new KerasModelWriter().Input("in", 4, 4, 2)
            .Layer("Conv2D", "conv", Cfg.Of(("filters", 3), ("kernel_size", 1)), "in")
            .RandomWeight("conv/bias", [3], 2).Outputs("conv");
        Assert.Contains("layer 'conv' (Conv2D): needs weight 'conv/kernel' [1,1,2,3], which the weights manifest lacks", ImportFails(missing).Message);
        Assert.Contains("weight 'conv/kernel' has shape [3,3,2,3]; the layer needs [1,1,2,3]", ImportFails(Conv(kernelShape: [3, 3, 2, 3])).Message);
        Assert.Contains("weight 'conv/kernel' has shape [1,1,2,3]; the layer needs [1,1,2,30]", ImportFails(Conv(Cfg.Of(("filters", 30)))).Message);
    }

    [Fact]
    public void BadConfigs_AreSpecific()
    {
        Assert.Contains("activation 'swish' is not supported", ImportFails(Conv(Cfg.Of(("activation", "swish")))).Message);
        Assert.Contains("data_format 'channels_first' is not supported", ImportFails(Conv(Cfg.Of(("data_format", "channels_first")))).Message);
        Assert.Contains("config.padding 'causal' is not supported", ImportFails(Conv(Cfg.Of(("padding", "causal")))).Message);
        Assert.Contains("config.strides must be at least 1", ImportFails(Conv(Cfg.Of(("strides", 0)))).Message);
        Assert.Contains("config.kernel_size must have 2 values", ImportFails(Conv(Cfg.Of(("kernel_size", Cfg.Ints(1, 1, 1))))).Message);
        Assert.Contains("cannot take input [4,4,2]", ImportFails(new KerasModelWriter().Input("in", 4, 4, 2)
            .Layer("Conv2D", "conv", Cfg.Of(("filters", 3), ("kernel_size", 5)), "in")
            .RandomWeight("conv/kernel", [5, 5, 2, 3], 1).RandomWeight("conv/bias", [3], 2).Outputs("conv")).Message);
    }

    [Fact]
    public void UnknownOutputs_AndInputSizes_AreRefused()
    {
        Assert.Contains("output layer 'nope' is not a layer", ImportFails(Conv(), new TfJsImportOptions { Outputs = ["nope"] }).Message);
        var open = new KerasModelWriter().Input("in", null, null, 2)
            .Layer("Conv2D", "conv", Cfg.Of(("filters", 3), ("kernel_size", 1)), "in")
            .RandomWeight("conv/kernel", [1, 1, 2, 3], 1).RandomWeight("conv/bias", [3], 2).Outputs("conv");
        Assert.Contains("has unknown dimensions; give TfJsImportOptions.InputShape", ImportFails(open).Message);
        Assert.Contains("contradicts the model's [null,null,2]", ImportFails(open, new TfJsImportOptions { InputShape = [8, 8, 3] }).Message);
        Assert.Contains("values per sample; refusing", ImportFails(open, new TfJsImportOptions { InputShape = [100000, 100000, 2] }).Message);
    }

    [Fact]
    public void FeatureOrderThatCannotBeReproduced_IsRefused()
    {
        var flattenThenNorm = Conv()
            .Layer("Flatten", "flat", Cfg.Of(), "conv")
            .Layer("BatchNormalization", "bn", Cfg.Of(), "flat")
            .Outputs("bn");
        Assert.Contains("reads features flattened from a 4x4x3 map", ImportFails(flattenThenNorm).Message);
        var reshape = Conv().Layer("Reshape", "r", Cfg.Of(("target_shape", Cfg.Ints(8, 6))), "conv").Outputs("r");
        Assert.Contains("reorders elements between Keras' channels-last", ImportFails(reshape).Message);
    }

    [Fact]
    public void KerasNamesClashingWithImporterNames_AreRefused()
    {
        var clash = Conv(Cfg.Of(("activation", "relu"))).Layer("ReLU", "conv.relu", Cfg.Of(), "conv").Outputs("conv.relu");
        Assert.Contains("layer 'conv.relu' (ReLU): Model 'test_model' already has a layer named 'conv.relu'", ImportFails(clash).Message);
    }

    [Fact]
    public void Cycles_AreRefused()
    {
        var cycle = new KerasModelWriter().Input("in", 2)
            .Layer("Add", "a", Cfg.Of(), "in", "b")
            .Layer("Add", "b", Cfg.Of(), "in", "a")
            .Outputs("b");
        Assert.Contains("(a cycle)", ImportFails(cycle).Message);
    }
}
