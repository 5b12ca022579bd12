using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>
/// onnx-grad's maths (<see cref="ImportedModel.Gradients"/>) against central finite differences of the same GPU
/// forward pass, for the gradient of every float input and every float initializer.
/// </summary>
[Collection("Gpu")]
public sealed class OnnxGradientTests(GpuFixture gpu)
{
    private static OnnxModel Model(string name) => OnnxReader.ReadModel(ConformanceCases.ModelPath(name));

    [Theory]
    [InlineData("pytorch-converted/test_Conv2d")]
    [InlineData("pytorch-converted/test_Conv1d_groups")]
    [InlineData("pytorch-converted/test_ConvTranspose2d")]
    [InlineData("pytorch-converted/test_Linear")]
    [InlineData("pytorch-converted/test_Linear_no_bias")]
    [InlineData("pytorch-operator/test_operator_addmm")]
    [InlineData("pytorch-converted/test_BatchNorm2d_momentum_eval")]
    [InlineData("pytorch-converted/test_PReLU_2d_multiparam")]
    [InlineData("pytorch-converted/test_GLU_dim")]
    public void Conformance_case_gradients_match_finite_differences(string name) =>
        GradientProbe.Check(gpu, name, Model(name), ConformanceCases.Inputs(name));

    [Fact]
    public void Sharded_fully_connected_weight_gives_the_same_outputs_and_gradients()
    {
        const string name = "pytorch-converted/test_Linear";   // weight [8, 10]: 40-byte shards hold one row each
        var small = new OnnxImportOptions { MaxBufferBytes = 40 };
        GradientProbe.Check(gpu, name + " sharded", Model(name), ConformanceCases.Inputs(name), small);
        OnnxTensor[] inputs = ConformanceCases.Inputs(name);
        OnnxTensor dy = GradientProbe.Random("dy", 5, 4, 8);
        gpu.Run(ctx =>
        {
            using ImportedModel whole = OnnxImporter.Load(ctx, Model(name));
            using ImportedModel sharded = OnnxImporter.Load(ctx, Model(name), small);
            ShardedLinearLayer layer = Assert.Single(sharded.Model.Layers.OfType<ShardedLinearLayer>());
            Assert.Equal(8, layer.WeightShards.Count);
            Assert.Equal(8, sharded.InitializerParameters["1"].Count);
            Assert.Empty(whole.Model.Layers.OfType<ShardedLinearLayer>());
            TensorAssert.Close("sharded forward", name, ConformanceCases.ShapeOf(dy), whole.Run(inputs)[0].ToFloatArray().Select(v => (double)v).ToArray(),
                sharded.Run(inputs)[0].ToFloatArray(), atol: 1e-6, rtol: 1e-5);
            OnnxGradients a = whole.Gradients(inputs, [dy]), b = sharded.Gradients(inputs, [dy]);
            TensorAssert.Close("sharded input gradient", name, ConformanceCases.ShapeOf(a.Inputs[0]!),
                a.Inputs[0]!.ToFloatArray().Select(v => (double)v).ToArray(), b.Inputs[0]!.ToFloatArray(), atol: 1e-6, rtol: 1e-5);
            foreach (int k in new[] { 0, 1 })
                TensorAssert.Close($"sharded gradient of '{a.Initializers[k].Key}'", name, ConformanceCases.ShapeOf(a.Initializers[k].Value),
                    a.Initializers[k].Value.ToFloatArray().Select(v => (double)v).ToArray(), b.Initializers[k].Value.ToFloatArray(), atol: 1e-6, rtol: 1e-5);
        });
    }

    [Fact]
    public void Gemm_with_transposed_operands_scaled_and_a_matrix_c()
    {
        // Y = 0.5 * A^T B + 2 * C with A [5, 3] (transA), B [5, 4] constant (transB = 0), C [3, 4].
        OnnxModel model = new TestGraph().Input("a", 5, 3).Weight("b", [5, 4], 11).Weight("c", [3, 4], 12)
            .Node("Gemm", ["a", "b", "c"], ["y"], OnnxAttribute.OfFloat("alpha", 0.5f), OnnxAttribute.OfFloat("beta", 2f), OnnxAttribute.OfInt("transA", 1))
            .Output("y").Build(opset: 11);
        GradientProbe.Check(gpu, "Gemm transA alpha beta", model, [GradientProbe.Random("a", 13, 5, 3)]);
    }

    [Fact]
    public void Broadcasting_add_and_mul_with_initializer_operands()
    {
        // y = (x + b) * w with x [2,3,4,5], b [3,1,1], w [5]: both operands broadcast, their gradients sum over the repeats.
        OnnxModel model = new TestGraph().Input("x", 2, 3, 4, 5).Weight("b", [3, 1, 1], 21).Weight("w", [5], 22)
            .Node("Add", ["x", "b"], ["s"]).Node("Mul", ["s", "w"], ["y"]).Output("y").Build();
        GradientProbe.Check(gpu, "broadcasting Add, Mul", model, [GradientProbe.Random("x", 23, 2, 3, 4, 5)]);
    }

    [Fact]
    public void Concat_of_an_input_and_an_initializer()
    {
        // y = concat([x, c], axis 1) * s with x [2,3,4], c [2,2,4], s [1,5,1].
        OnnxModel model = new TestGraph().Input("x", 2, 3, 4).Weight("c", [2, 2, 4], 31).Weight("s", [1, 5, 1], 32)
            .Node("Concat", ["x", "c"], ["j"], OnnxAttribute.OfInt("axis", 1)).Node("Mul", ["j", "s"], ["y"]).Output("y").Build();
        GradientProbe.Check(gpu, "Concat", model, [GradientProbe.Random("x", 33, 2, 3, 4)]);
    }

    [Fact]
    public void Small_cnn_with_padding_pooling_flatten_gemm_and_log_softmax()
    {
        OnnxModel model = new TestGraph().Input("x", 2, 3, 6, 6)
            .Weight("conv.w", [4, 3, 3, 3], 41).Weight("conv.b", [4], 42).Weight("fc.w", [5, 36], 43).Weight("fc.b", [5], 44)
            .Node("Conv", ["x", "conv.w", "conv.b"], ["c"], OnnxAttribute.OfInts("pads", 1, 1, 1, 1))
            .Node("Elu", ["c"], ["e"])
            .Node("AveragePool", ["e"], ["p"], OnnxAttribute.OfInts("kernel_shape", 2, 2), OnnxAttribute.OfInts("strides", 2, 2))
            .Node("Flatten", ["p"], ["f"])
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["g"], OnnxAttribute.OfInt("transB", 1))
            .Node("LogSoftmax", ["g"], ["y"], OnnxAttribute.OfInt("axis", 1))
            .Output("y").Build();
        GradientProbe.Check(gpu, "small CNN", model, [GradientProbe.Random("x", 45, 2, 3, 6, 6)], step: 1e-2, samples: 8);
    }

    [Fact]
    public void Transpose_slice_tile_and_instance_norm_move_gradients_back()
    {
        // Fixed data movements on the GPU (IndexGather) and an initializer folded through a Transpose.
        OnnxModel model = new TestGraph().Input("x", 2, 3, 4, 5).Weight("w", [3, 5], 51).Weight("scale", [3], 52).Weight("bias", [3], 53)
            .Ints("starts", 1).Ints("ends", 4).Ints("axes", 2).Ints("repeats", 1, 1, 2, 1)
            .Node("InstanceNormalization", ["x", "scale", "bias"], ["n"])
            .Node("Transpose", ["n"], ["t"], OnnxAttribute.OfInts("perm", 0, 3, 2, 1))
            .Node("Slice", ["t", "starts", "ends", "axes"], ["s"])
            .Node("Tile", ["s", "repeats"], ["r"])
            .Node("Transpose", ["w"], ["wt"], OnnxAttribute.OfInts("perm", 1, 0))
            .Node("Unsqueeze", ["wt", "axes0"], ["wu"])
            .Node("Mul", ["r", "wu"], ["y"])
            .Ints("axes0", 1)
            .Output("y").Build();
        GradientProbe.Check(gpu, "Transpose/Slice/Tile/InstanceNormalization", model, [GradientProbe.Random("x", 54, 2, 3, 4, 5)]);
    }
}
