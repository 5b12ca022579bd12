using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>
/// Every conformance case through the GPU path: import with the shapes of its inputs, run, and compare each output
/// with the expected TensorProto under the ONNX runner's tolerance (rtol 1e-3, atol 1e-7; DenseNet-121 rtol 2e-3).
/// </summary>
[Collection("Gpu")]
public sealed class OnnxImportConformanceTests(GpuFixture gpu)
{
    public static TheoryData<string> Cases => ConformanceCases.All();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_runs_on_the_gpu_and_matches_the_expected_outputs(string name)
    {
        OnnxTensor[] inputs = ConformanceCases.Inputs(name);
        OnnxTensor[] expected = ConformanceCases.ExpectedPaths(name).Select(p => OnnxReader.ReadTensor(p)).ToArray();
        IReadOnlyList<OnnxTensor> actual = gpu.Run(ctx =>
        {
            OnnxModel model = OnnxReader.ReadModel(ConformanceCases.ModelPath(name));
            string[] inputNames = model.Graph.DataInputs().Select(i => i.Name).ToArray();
            using ImportedModel imported = OnnxImporter.Load(ctx, model, new OnnxImportOptions
            {
                InputShapes = inputNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => inputs[p.i].Dims.ToArray().Select(d => (int)d).ToArray()),
            });
            if (name == "light/light_vgg19" && 4L * 25088 * 4096 > ctx.Device.MaxStorageBlockBytes)
            {
                // fc6's weight (25088 x 4096 floats, 411 MB) exceeds one storage buffer on llvmpipe: it runs in row shards.
                ShardedLinearLayer fc6 = Assert.Single(imported.Model.Layers.OfType<ShardedLinearLayer>());
                Assert.True(fc6.WeightShards.Count > 1 && fc6.WeightShards.All(w => 4L * w.Shape.ElementCount <= ctx.Device.MaxStorageBlockBytes));
            }
            return imported.Run(inputs);
        });
        Assert.Equal(expected.Length, actual.Count);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Dims, actual[k].Dims);
            Assert.Equal(expected[k].DataType, actual[k].DataType);
            double[] want = expected[k].ToFloatArray().Select(v => (double)v).ToArray();
            TensorAssert.Close($"{name} output {k}", "conformance", ConformanceCases.ShapeOf(expected[k]), want, actual[k].ToFloatArray(),
                atol: 1e-7, rtol: ConformanceCases.RelativeTolerance(name));
        }
    }
}
