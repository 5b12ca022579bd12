using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Export;
using VisionPlugin.Engine.Onnx.Import;
using VisionPlugin.Tests.Onnx.Import;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// Conformance graphs imported with <see cref="OnnxImporter"/>, exported again with <see cref="OnnxExporter"/> and run in
/// ONNX Runtime: the export must reproduce the engine's GPU outputs on the case's inputs (tolerance of
/// <see cref="OrtComparison"/>; the pytorch-operator vectors hold infinities and NaNs, which must come out the same).
/// The cases cover the layers only an import builds: constants, whole-tensor reshapes,
/// constant-index gathers (transpose, slice, split, tile, index; ShuffleNet's 5-D channel shuffle), matrix products,
/// reductions, instance norm and Max/Min/Pow, next to imported Conv, BatchNorm and Linear.
/// </summary>
[Collection("Gpu")]
public sealed class ImportedModelExportTests(GpuFixture gpu, ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-imported-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Cases() => new(
        "pytorch-operator/test_operator_add_broadcast",
        "pytorch-operator/test_operator_add_size1_broadcast",
        "pytorch-operator/test_operator_add_size1_right_broadcast",
        "pytorch-operator/test_operator_add_size1_singleton_broadcast",
        "pytorch-operator/test_operator_addconstant",
        "pytorch-operator/test_operator_addmm",
        "pytorch-operator/test_operator_basic",
        "pytorch-operator/test_operator_chunk",
        "pytorch-operator/test_operator_clip",
        "pytorch-operator/test_operator_concat2",
        "pytorch-operator/test_operator_conv",
        "pytorch-operator/test_operator_convtranspose",
        "pytorch-operator/test_operator_exp",
        "pytorch-operator/test_operator_flatten",
        "pytorch-operator/test_operator_index",
        "pytorch-operator/test_operator_max",
        "pytorch-operator/test_operator_maxpool",
        "pytorch-operator/test_operator_min",
        "pytorch-operator/test_operator_mm",
        "pytorch-operator/test_operator_non_float_params",
        "pytorch-operator/test_operator_pad",
        "pytorch-operator/test_operator_params",
        "pytorch-operator/test_operator_permute2",
        "pytorch-operator/test_operator_pow",
        "pytorch-operator/test_operator_reduced_mean",
        "pytorch-operator/test_operator_reduced_mean_keepdim",
        "pytorch-operator/test_operator_reduced_sum",
        "pytorch-operator/test_operator_reduced_sum_keepdim",
        "pytorch-operator/test_operator_repeat",
        "pytorch-operator/test_operator_repeat_dim_overflow",
        "pytorch-operator/test_operator_selu",
        "pytorch-operator/test_operator_sqrt",
        "pytorch-operator/test_operator_symbolic_override",
        "pytorch-operator/test_operator_symbolic_override_nested",
        "pytorch-operator/test_operator_view",
        "pytorch-converted/test_Conv2d",
        "pytorch-converted/test_BatchNorm2d_eval",
        "pytorch-converted/test_Linear",
        "pytorch-converted/test_GLU",
        "pytorch-converted/test_PixelShuffle",
        "pytorch-converted/test_Conv1d",
        "pytorch-converted/test_AvgPool1d",
        "pytorch-converted/test_PReLU_1d",
        "light/light_squeezenet",
        "light/light_shufflenet");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Imported_model_exports_and_matches_onnx_runtime(string name)
    {
        OnnxTensor[] inputs = ConformanceCases.Inputs(name);
        string path = Path.Combine(_folder, "model.onnx");
        var (engineInputs, engine) = gpu.Run(ctx =>
        {
            OnnxModel model = OnnxReader.ReadModel(ConformanceCases.ModelPath(name));
            string[] inputNames = model.Graph.DataInputs().Select(i => i.Name).ToArray();
            using ImportedModel imported = OnnxImporter.Load(ctx, model, new OnnxImportOptions
            {
                InputShapes = inputNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => inputs[p.i].Dims.ToArray().Select(d => (int)d).ToArray()),
            });
            OnnxExporter.Export(imported, path);
            log.WriteLine($"{name} layers: {string.Join(", ", imported.Model.Layers.Select(l => l.GetType().Name).Distinct().Order())}");
            // The export's inputs are FLOAT with the engine's shapes (a rank-0 input travels as [1]).
            var fed = imported.Inputs.Select((info, i) =>
                (Values: inputs[i].ToFloatArray(), Dims: info.Shape.Rank == 0 ? [1] : info.Shape.Dimensions.ToArray())).ToArray();
            var outputs = imported.Run(inputs).Select(t => (Dims: t.Dims.ToArray().Select(d => (int)d).ToArray(), Values: t.ToFloatArray())).ToArray();
            return (fed, outputs);
        });
        IReadOnlyList<OrtPeer.Output> ort = OrtPeer.Run(path, engineInputs, _folder);
        OrtComparison.AssertClose(name, engine, ort, log, matchNonFinite: true);
    }

    /// <summary>
    /// The import-only layer forms the conformance cases do not reach, built directly with batch 2 fixed: a batched
    /// MatMul with a transposed operand and alpha (MatMul + Transpose + Mul), a gather that writes zeros (index -1),
    /// a sum over a negative axis, instance norm, and a Linear sharded into four weight blocks (one Gemm).
    /// </summary>
    [Fact]
    public void Import_only_layer_forms_match_onnx_runtime()
    {
        var differences = OrtComparison.AssertMatches(gpu, BuildImportOnlyForms, batchSize: 2, seed: 5, _folder, log,
            new OnnxExportOptions { BatchSizes = [2] });
        Assert.Equal([2, 8], Assert.Single(differences).Dims);
    }

    private static Model BuildImportOnlyForms(GpuContext ctx)
    {
        var model = new Model(ctx, "import_only_forms", new TensorShape(3, 4, 5));
        int x = 0;
        int scaled = model.Add(new MatMulLayer("scaled_gram", transposeB: true, alpha: 0.5f), x, x);            // [2,3,4,4]
        int normalized = model.Add(new InstanceNormLayer("instance_norm", epsilon: 1e-3f), scaled);
        int summed = model.Add(new ReduceLayer("row_sum", [-1], mean: false), normalized);                         // [2,3,4,1]
        int flat = model.Add(new ReshapeToLayer("flatten_all", new TensorShape(2, 12)), summed);
        int linear = model.Add(new ShardedLinearLayer(ctx, "fc", inFeatures: 12, outFeatures: 7, maxShardElements: 24), flat);
        // [2,7] -> [2,8]: each row reversed, then a zero (index -1) appended.
        var index = new int[16];
        for (int n = 0; n < 2; n++)
        {
            for (int j = 0; j < 7; j++) index[n * 8 + j] = n * 7 + (6 - j);
            index[n * 8 + 7] = -1;
        }
        model.Add(new IndexGatherLayer("reverse_and_pad", new IndexMap(new TensorShape(2, 7), new TensorShape(2, 8), index)), linear);
        Assert.Equal(4, model.Layers.OfType<ShardedLinearLayer>().Single().WeightShards.Count);
        return model;
    }
}
