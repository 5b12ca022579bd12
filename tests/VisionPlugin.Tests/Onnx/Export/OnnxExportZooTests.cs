using VisionPlugin.Engine;
using VisionPlugin.Engine.Zoo;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// Zoo architectures exported and run in ONNX Runtime: the outputs must match the engine's GPU forward on the same
/// batch (see <see cref="OrtComparison"/> for the tolerance). Small inputs keep llvmpipe quick; the pools of
/// SqueezeNet and GoogLeNet round up (ceil mode), which at these sizes leaves partial windows at the borders.
/// </summary>
[Collection("Gpu")]
public sealed class OnnxExportZooTests(GpuFixture gpu, ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("lenet5", 1, 28, 28)]
    [InlineData("resnet18", 3, 32, 32)]
    [InlineData("mobilenet_v2_scratch", 3, 32, 32)]
    [InlineData("squeezenet", 3, 32, 32)]
    [InlineData("googlenet", 3, 32, 32)]
    public void Zoo_model_matches_onnx_runtime(string arch, int channels, int height, int width)
    {
        var differences = OrtComparison.AssertMatches(gpu,
            ctx => ModelZoo.Build(ctx, arch, classCount: 10, new TensorShape(channels, height, width), seed: 7),
            batchSize: 2, seed: 11, _folder, log);
        Assert.Single(differences);
        Assert.Equal([2, 10], differences[0].Dims);
    }
}
