using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx;

/// <summary>
/// Every model and tensor of the ONNX project's conformance data (copied under Onnx/Conformance)
/// parses, and spot checks agree with what the cases are known to contain.
/// </summary>
public sealed class OnnxConformanceTests
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Onnx", "Conformance");

    private static string PathOf(string relative) => Path.Combine(Root, relative);

    public static TheoryData<string> Models() => Files("*.onnx");

    public static TheoryData<string> Tensors() => Files("*.pb");

    private static TheoryData<string> Files(string pattern)
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Root, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, path));
        return data;
    }

    [Fact]
    public void The_copied_vectors_are_all_there()
    {
        Assert.Equal(64, Directory.GetDirectories(PathOf("pytorch-converted")).Length);
        Assert.Equal(35, Directory.GetDirectories(PathOf("pytorch-operator")).Length);
        Assert.Equal(9, Directory.GetFiles(PathOf("light"), "*.onnx").Length);
        Assert.Contains("Apache", File.ReadAllText(PathOf("README.md")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_model_parses_with_consistent_nodes_and_weights(string relative)
    {
        var model = OnnxReader.ReadModel(PathOf(relative));
        var graph = model.Graph;
        Assert.NotEmpty(graph.Nodes);
        Assert.NotEmpty(graph.Outputs);
        Assert.True(model.IrVersion >= 3, $"IR version {model.IrVersion}");
        Assert.NotNull(model.DefaultOpsetVersion);
        foreach (var node in graph.Nodes)
        {
            Assert.False(string.IsNullOrEmpty(node.OpType));
            Assert.NotEmpty(node.Outputs);
            Assert.All(node.Attributes, a => Assert.NotEqual(OnnxAttributeType.Undefined, a.Type));
        }
        foreach (var tensor in graph.Initializers)
        {
            long count = tensor.ElementCount;
            if (tensor.DataType is OnnxDataType.Int64 or OnnxDataType.Int32) Assert.Equal(count, tensor.ToInt64Array().Length);
            else Assert.Equal(count, tensor.ToFloatArray().Length);
        }

        // In the single-op cases, the expected output has the shape the graph declares for it.
        string caseFolder = Path.GetDirectoryName(PathOf(relative))!;
        string expected = Path.Combine(caseFolder, "test_data_set_0", "output_0.pb");
        if (File.Exists(expected))
        {
            var output = OnnxReader.ReadTensor(expected);
            var declared = graph.Outputs[0].Shape!.Value.Select(d => d.Value!.Value).ToArray();
            Assert.Equal(declared, output.Dims.ToArray());
            Assert.Equal(graph.Outputs[0].ElementType, output.DataType);
        }
    }

    [Theory]
    [MemberData(nameof(Tensors))]
    public void Every_tensor_file_parses_and_converts(string relative)
    {
        var tensor = OnnxReader.ReadTensor(PathOf(relative));
        Assert.True(tensor.Dims.Count is > 0 and <= 8, $"{tensor} has rank {tensor.Dims.Count}");
        long count = tensor.ElementCount;
        if (tensor.DataType is OnnxDataType.Int64 or OnnxDataType.Int32) Assert.Equal(count, tensor.ToInt64Array().Length);
        else Assert.Equal(count, tensor.ToFloatArray().Length);
    }

    [Fact]
    public void Conv2d_strided_has_its_attributes_shapes_and_reproduces_its_output()
    {
        string folder = PathOf("pytorch-converted/test_Conv2d_strided");
        var model = OnnxReader.ReadModel(Path.Combine(folder, "model.onnx"));
        var conv = Assert.Single(model.Graph.Nodes);
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal([2L, 2L], conv.FindAttribute("strides")!.Ints);
        Assert.Equal([3L, 3L], conv.FindAttribute("kernel_shape")!.Ints);
        Assert.Equal([0L, 0L, 0L, 0L], conv.FindAttribute("pads")!.Ints);
        Assert.Equal(1, conv.FindAttribute("group")!.I);
        Assert.Null(conv.FindAttribute("auto_pad"));
        Assert.Equal(OnnxAttributeType.Ints, conv.FindAttribute("strides")!.Type);

        var weight = model.Graph.FindInitializer(conv.Inputs[1])!;
        var bias = model.Graph.FindInitializer(conv.Inputs[2])!;
        Assert.Equal([4L, 3, 3, 3], weight.Dims);
        Assert.Equal([4L], bias.Dims);
        var input = OnnxReader.ReadTensor(Path.Combine(folder, "test_data_set_0", "input_0.pb"));
        var output = OnnxReader.ReadTensor(Path.Combine(folder, "test_data_set_0", "output_0.pb"));
        Assert.Equal([2L, 3, 6, 6], input.Dims);
        Assert.Equal([2L, 4, 2, 2], output.Dims);
        Assert.Equal([new OnnxValueInfo("0", OnnxDataType.Float, [OnnxDimension.Known(2), OnnxDimension.Known(3), OnnxDimension.Known(6), OnnxDimension.Known(6)])],
            model.Graph.DataInputs());

        // A plain strided convolution of the decoded input and weights gives the decoded output:
        // the float bytes were read in the right order.
        float[] x = input.ToFloatArray(), w = weight.ToFloatArray(), b = bias.ToFloatArray(), y = output.ToFloatArray();
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 4; k++)
                for (int oy = 0; oy < 2; oy++)
                    for (int ox = 0; ox < 2; ox++)
                    {
                        double sum = b[k];
                        for (int c = 0; c < 3; c++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                    sum += x[((n * 3 + c) * 6 + 2 * oy + ky) * 6 + 2 * ox + kx] * w[((k * 3 + c) * 3 + ky) * 3 + kx];
                        Assert.Equal(sum, y[((n * 4 + k) * 2 + oy) * 2 + ox], 4);
                    }
    }

    [Theory]
    [InlineData("pytorch-converted/test_Conv2d_dilated", "Conv", "dilations", new long[] { 2, 2 })]
    [InlineData("pytorch-converted/test_Conv2d_depthwise_padded", "Conv", "pads", new long[] { 1, 1, 1, 1 })]
    [InlineData("pytorch-converted/test_ConvTranspose2d", "ConvTranspose", "strides", new long[] { 3, 2 })]
    [InlineData("pytorch-converted/test_ConvTranspose2d", "ConvTranspose", "output_padding", new long[] { 1, 1 })]
    [InlineData("pytorch-converted/test_ConstantPad2d", "Pad", "pads", new long[] { 0, 0, 3, 1, 0, 0, 4, 2 })]
    public void Integer_list_attributes_come_out_right(string folder, string opType, string attribute, long[] expected)
    {
        var node = OnnxReader.ReadModel(PathOf(folder + "/model.onnx")).Graph.Nodes.Single(n => n.OpType == opType);
        Assert.Equal(expected, node.FindAttribute(attribute)!.Ints.ToArray());
    }

    [Fact]
    public void Scalar_and_string_attributes_come_out_right()
    {
        var leaky = Assert.Single(OnnxReader.ReadModel(PathOf("pytorch-converted/test_LeakyReLU_with_negval/model.onnx")).Graph.Nodes);
        Assert.Equal(OnnxAttribute.OfFloat("alpha", 0.5f), leaky.FindAttribute("alpha"));
        var pad = Assert.Single(OnnxReader.ReadModel(PathOf("pytorch-converted/test_ConstantPad2d/model.onnx")).Graph.Nodes);
        Assert.Equal("constant", pad.FindAttribute("mode")!.S);
        Assert.Equal(2f, pad.FindAttribute("value")!.F);
        var groups = Assert.Single(OnnxReader.ReadModel(PathOf("pytorch-converted/test_Conv2d_groups/model.onnx")).Graph.Nodes);
        Assert.Equal(2, groups.FindAttribute("group")!.I);
        var batchNorm = OnnxReader.ReadModel(PathOf("pytorch-converted/test_BatchNorm2d_eval/model.onnx")).Graph;
        Assert.Equal(1e-5f, batchNorm.Nodes[0].FindAttribute("epsilon")!.F);
        Assert.Equal([1f, 1f, 1f], batchNorm.FindInitializer(batchNorm.Nodes[0].Inputs[4])!.ToFloatArray()); // running variance
    }

    [Fact]
    public void Integer_tensors_read_as_int64()
    {
        string folder = PathOf("pytorch-operator/test_operator_non_float_params");
        var model = OnnxReader.ReadModel(Path.Combine(folder, "model.onnx"));
        Assert.Equal(["Add", "Mul"], model.Graph.Nodes.Select(n => n.OpType));
        var input = OnnxReader.ReadTensor(Path.Combine(folder, "test_data_set_0", "input_0.pb"));
        Assert.Equal(OnnxDataType.Int64, input.DataType);
        Assert.Equal(4, input.ToInt64Array().Length);
        Assert.Throws<OnnxFormatException>(() => OnnxTensor.FromFloats("f", [1], [1f]).ToInt64Array());
    }

    [Theory]
    [InlineData("light_bvlc_alexnet", 40, "LRN")]
    [InlineData("light_zfnet512", 38, "LRN")]
    [InlineData("light_vgg19", 82, "Gemm")]
    [InlineData("light_inception_v1", 237, "Concat")]
    [InlineData("light_inception_v2", 916, "BatchNormalization")]
    [InlineData("light_resnet50", 415, "Sum")]
    [InlineData("light_squeezenet", 105, "GlobalAveragePool")]
    [InlineData("light_shufflenet", 446, "Transpose")]
    [InlineData("light_densenet121", 1746, "Concat")]
    public void Light_classic_architectures_parse_whole(string name, int nodeCount, string characteristicOp)
    {
        var model = OnnxReader.ReadModel(PathOf($"light/{name}.onnx"));
        Assert.Equal(nodeCount, model.Graph.Nodes.Count);
        Assert.Equal(9, model.DefaultOpsetVersion);
        Assert.Contains(model.Graph.Nodes, n => n.OpType == characteristicOp);
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "Conv");

        // The weights were replaced by ConstantOfShape nodes whose value is a one-element FLOAT tensor.
        var constant = model.Graph.Nodes.First(n => n.OpType == "ConstantOfShape");
        var value = constant.FindAttribute("value")!;
        Assert.Equal(OnnxAttributeType.Tensor, value.Type);
        Assert.Equal(OnnxDataType.Float, value.T!.DataType);
        Assert.Single(value.T.ToFloatArray());
        var shape = model.Graph.FindInitializer(constant.Inputs[0])!;
        Assert.Equal(OnnxDataType.Int64, shape.DataType);
        Assert.All(shape.ToInt64Array(), d => Assert.True(d > 0));

        var data = Assert.Single(model.Graph.DataInputs());
        Assert.Equal([1L, 3, 224, 224], data.Shape!.Value.Select(d => d.Value!.Value));
        var expected = OnnxReader.ReadTensor(PathOf($"light/{name}_output_0.pb"));
        Assert.Equal(1000, expected.ElementCount);
        if (name != "light_densenet121") Assert.All(expected.ToFloatArray(), v => Assert.Equal(0.001f, v, 1e-6f)); // uniform softmax (README)
    }
}
