using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Tests.EndToEnd;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// <c>./visionplugin export</c> as a separate process: a checkpoint saved the way <c>train</c> saves it is exported
/// with its own weights, and ONNX Runtime running the file reproduces the engine's forward of those weights.
/// </summary>
[Collection("Gpu")]
public sealed class ExportCommandTests(GpuFixture gpu) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Export_of_a_training_checkpoint_writes_its_weights_and_runs_in_onnx_runtime()
    {
        string checkpoint = Path.Combine(_folder, "model.ckpt");
        int[] inputDims = [2, 1, 28, 28];
        float[] input = TestData.ToFloat(TestData.Uniform(4, 2 * 28 * 28, 0, 1));
        var (weights, engineOutput) = gpu.Run(ctx =>
        {
            using Model model = ModelZoo.Build(ctx, "lenet5", 10, seed: 3);   // train's model: Fashion-MNIST [1,28,28], 10 classes
            using Tensor x = Tensor.FromData(ctx, new TensorShape(inputDims), input);
            OrtComparison.MakeNonTrivial(model, x, seed: 9, trainingForwards: 0);
            TrainingCheckpoint.Save(checkpoint, model, optimizer: null, finishedEpochs: 1);
            return (model.Parameters.ToDictionary(p => p.Name, p => p.Value.ToArray()), model.Forward(x, training: false).ToArray());
        });

        string onnxPath = Path.Combine(_folder, "exported", "lenet5.onnx");   // the folder is created
        var (code, stdout, stderr) = HostProcess.Run(_folder, Limit, "export", "--arch", "lenet5", "--checkpoint", checkpoint, "--out", onnxPath, "--json");
        Assert.True(code == 0, stderr);
        JsonNode result = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!;
        Assert.Equal(13, result["opset"]!.GetValue<long>());
        Assert.Equal("""["N",1,28,28]""", result["input"]!.ToJsonString());
        Assert.Equal("""["N",10]""", result["output"]!.ToJsonString());
        Assert.Equal(new FileInfo(onnxPath).Length, result["bytes"]!.GetValue<long>());

        OnnxGraph graph = OnnxReader.ReadModel(onnxPath).Graph;
        foreach (var (name, values) in weights) Assert.Equal(values, graph.FindInitializer(name)!.ToFloatArray());

        float[] ort = OrtPeer.Run(onnxPath, [(input, inputDims)], _folder).Single().Values;
        Assert.Equal(engineOutput.Length, ort.Length);
        double scale = Math.Max(1, engineOutput.Max(Math.Abs));
        for (int i = 0; i < ort.Length; i++)
            Assert.True(Math.Abs(ort[i] - engineOutput[i]) <= OrtComparison.Tolerance * scale, $"logit {i}: engine {engineOutput[i]}, ort {ort[i]}");
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_is_refused_and_nothing_is_written()
    {
        string checkpoint = Path.Combine(_folder, "lenet.ckpt");
        gpu.Run(ctx =>
        {
            using Model model = ModelZoo.Build(ctx, "lenet5", 10);
            TrainingCheckpoint.Save(checkpoint, model, optimizer: null, finishedEpochs: 0);
        });
        string onnxPath = Path.Combine(_folder, "wrong.onnx");
        var (code, _, stderr) = HostProcess.Run(_folder, Limit, "export", "--arch", "resnet18", "--input", "1,28,28", "--checkpoint", checkpoint, "--out", onnxPath);
        Assert.Equal(1, code);
        Assert.StartsWith("visionplugin export: ", stderr);
        Assert.Contains(checkpoint, stderr);
        Assert.False(File.Exists(onnxPath));
    }
}
