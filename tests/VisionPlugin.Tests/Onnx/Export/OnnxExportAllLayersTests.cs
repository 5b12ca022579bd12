using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Export;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// <see cref="AllLayersModel"/> (every exportable layer type) exported and run in ONNX Runtime: each of its twelve
/// outputs must match the engine's GPU forward (see <see cref="OrtComparison"/>).
/// </summary>
[Collection("Gpu")]
public sealed class OnnxExportAllLayersTests(GpuFixture gpu, ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The layer types the exporter maps; the hand-built model must use each of them.</summary>
    private static readonly Type[] ExportableTypes =
    [
        typeof(Conv2dLayer), typeof(WeightNormConv2dLayer), typeof(ConvTranspose2dLayer), typeof(LinearLayer), typeof(DropConnectLinearLayer),
        typeof(BatchNorm2dLayer), typeof(BatchNorm1dLayer), typeof(LrnLayer), typeof(ActivationLayer), typeof(PReluLayer), typeof(CReluLayer),
        typeof(MaxoutLayer), typeof(MaxPool2dLayer), typeof(AvgPool2dLayer), typeof(LpPool2dLayer), typeof(GlobalAvgPoolLayer),
        typeof(GlobalMaxPoolLayer), typeof(FlattenLayer), typeof(ReshapeLayer), typeof(Pad2dLayer), typeof(ConcatLayer), typeof(AddLayer),
        typeof(SubLayer), typeof(MulLayer), typeof(DivLayer), typeof(SoftmaxLayer), typeof(DropoutLayer),
    ];

    [Fact]
    public void Every_layer_type_matches_onnx_runtime()
    {
        var differences = OrtComparison.AssertMatches(gpu, AllLayersModel.Build, batchSize: 2, seed: 5, _folder, log);
        Assert.Equal(12, differences.Count);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"output_{i}"), differences.Select(d => d.Output));
    }

    [Fact]
    public void The_hand_built_model_covers_every_exportable_layer_type_and_activation_kind()
    {
        gpu.Run(ctx =>
        {
            using Model model = AllLayersModel.Build(ctx);
            var used = model.Layers.Select(l => l.GetType()).ToHashSet();
            Assert.True(ExportableTypes.All(used.Contains), $"Not used: {string.Join(", ", ExportableTypes.Where(t => !used.Contains(t)).Select(t => t.Name))}");
            var kinds = model.Layers.OfType<ActivationLayer>().Select(a => a.Options.Kind).ToHashSet();
            Assert.Equal(Enum.GetValues<ActivationKind>().ToHashSet(), kinds);
        });
    }

    [Fact]
    public void Batch_norm_exports_the_running_statistics_after_training_forwards()
    {
        OnnxModel onnx = gpu.Run(ctx =>
        {
            using Model model = AllLayersModel.Build(ctx);
            using Tensor x = Tensor.FromData(ctx, new TensorShape([2, .. AllLayersModel.Input.Dimensions]),
                TestData.ToFloat(TestData.Uniform(1, 2 * AllLayersModel.Input.ElementCount)));
            OrtComparison.MakeNonTrivial(model, x, seed: 2);
            var bn = model.Layers.OfType<BatchNorm2dLayer>().Single();
            OnnxModel exported = OnnxExporter.ToOnnx(model);
            Assert.Equal(bn.RunningMean.ToArray(), exported.Graph.FindInitializer("bn1.running_mean")!.ToFloatArray());
            Assert.Equal(bn.RunningVariance.ToArray(), exported.Graph.FindInitializer("bn1.running_var")!.ToFloatArray());
            return exported;
        });
        float[] mean = onnx.Graph.FindInitializer("bn1.running_mean")!.ToFloatArray();
        float[] variance = onnx.Graph.FindInitializer("bn1.running_var")!.ToFloatArray();
        Assert.Contains(mean, m => Math.Abs(m) > 1e-3);        // moved away from the initial zeros
        Assert.Contains(variance, v => Math.Abs(v - 1) > 1e-3); // and ones
        var node = onnx.Graph.Nodes.Single(n => n.Name == "bn1");
        Assert.Equal("BatchNormalization", node.OpType);
        Assert.Equal(["conv1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], node.Inputs.ToArray());
        Assert.Equal(1e-3f, node.FindAttribute("epsilon")!.F);
    }
}
