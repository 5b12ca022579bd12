using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Export;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// Export -> <see cref="OnnxReader.ReadModel(string, OnnxReadLimits?)"/> without ONNX Runtime: the file holds the
/// expected opset, graph inputs and outputs, nodes in order with their wiring and attributes, and the weights under
/// their parameter names with the engine's values.
/// </summary>
[Collection("Gpu")]
public sealed class OnnxExportStructureTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static long[] Ints(OnnxNode node, string attribute) => node.FindAttribute(attribute)!.Ints.ToArray();

    [Fact]
    public void A_conv_net_round_trips_with_its_nodes_attributes_and_weights()
    {
        string path = Path.Combine(_folder, "small.onnx");
        var expected = gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "small", new TensorShape(3, 9, 8));
            var options = new Conv2dOptions { StrideH = 2, StrideW = 1, DilationH = 1, DilationW = 2, Padding = new Padding2d(1, 0, 1, 1) };
            model.Add(new Conv2dLayer(ctx, "conv", 3, 4, 3, 2, options, random: new Random(1)));
            model.Add(new BatchNorm2dLayer(ctx, "bn", 4));
            model.Add(new ActivationLayer("relu6", ActivationOptions.Relu6()));
            model.Add(new MaxPool2dLayer("pool", Pool2dOptions.Create(2, 2, ceilMode: true)));
            model.Add(new FlattenLayer("flatten"));
            int features = model.InferShapes()[model.Last][1];
            model.Add(new LinearLayer(ctx, "fc", features, 5, random: new Random(2)));
            OnnxExporter.Export(model, path);
            return model.Parameters.Select(p => (p.Name, Values: p.Value.ToArray())).ToArray();
        });

        OnnxModel onnx = OnnxReader.ReadModel(path);
        Assert.Equal(OnnxExporter.IrVersion, onnx.IrVersion);
        Assert.Equal(13, onnx.DefaultOpsetVersion);
        Assert.Equal("VisionPlugin", onnx.ProducerName);
        OnnxGraph g = onnx.Graph;
        Assert.Equal("small", g.Name);
        OnnxValueInfo input = Assert.Single(g.Inputs);
        Assert.Equal("input FLOAT [N,3,9,8]", input.ToString());
        Assert.Equal("N", input.Shape!.Value[0].Param);
        Assert.Equal("output FLOAT [N,5]", Assert.Single(g.Outputs).ToString());

        Assert.Equal(["Conv", "BatchNormalization", "Clip", "MaxPool", "Flatten", "Gemm"], g.Nodes.Select(n => n.OpType));
        Assert.Equal(["conv", "bn", "relu6", "pool", "flatten", "fc"], g.Nodes.Select(n => n.Name));
        Assert.All(g.Nodes, n => Assert.Equal("", n.Domain));
        OnnxNode conv = g.Nodes[0], bn = g.Nodes[1], clip = g.Nodes[2], pool = g.Nodes[3], flatten = g.Nodes[4], gemm = g.Nodes[5];
        Assert.Equal(["input", "conv.weight", "conv.bias"], conv.Inputs.ToArray());
        Assert.Equal(["conv"], conv.Outputs.ToArray());
        Assert.Equal([3L, 2], Ints(conv, "kernel_shape"));
        Assert.Equal([2L, 1], Ints(conv, "strides"));
        Assert.Equal([1L, 0, 1, 1], Ints(conv, "pads"));       // [top, left, bottom, right]
        Assert.Equal([1L, 2], Ints(conv, "dilations"));
        Assert.Equal(1, conv.FindAttribute("group")!.I);
        Assert.Equal(["conv", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"], bn.Inputs.ToArray());
        Assert.Equal(1e-5f, bn.FindAttribute("epsilon")!.F);
        Assert.Equal(["bn", "relu6.min", "relu6.max"], clip.Inputs.ToArray());
        Assert.Equal([0f], g.FindInitializer("relu6.min")!.ToFloatArray());
        Assert.Equal([6f], g.FindInitializer("relu6.max")!.ToFloatArray());
        Assert.Empty(g.FindInitializer("relu6.max")!.Dims);   // scalar bounds
        Assert.Equal([2L, 2], Ints(pool, "kernel_shape"));
        Assert.Equal(1, pool.FindAttribute("ceil_mode")!.I);
        Assert.Equal(1, flatten.FindAttribute("axis")!.I);
        Assert.Equal(["flatten", "fc.weight", "fc.bias"], gemm.Inputs.ToArray());
        Assert.Equal(["output"], gemm.Outputs.ToArray());
        Assert.Equal(1, gemm.FindAttribute("transB")!.I);

        Assert.Equal(["conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "relu6.min", "relu6.max", "fc.weight", "fc.bias"],
            g.Initializers.Select(t => t.Name));
        Assert.Equal([4L, 3, 3, 2], g.FindInitializer("conv.weight")!.Dims.ToArray());
        foreach (var (name, values) in expected) Assert.Equal(values, g.FindInitializer(name)!.ToFloatArray());
        Assert.Equal([0f, 0, 0, 0], g.FindInitializer("bn.running_mean")!.ToFloatArray());
        Assert.Equal([1f, 1, 1, 1], g.FindInitializer("bn.running_var")!.ToFloatArray());
        Assert.Empty(g.DataInputs().Skip(1));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));   // written atomically: the temporary file was renamed
    }

    [Fact]
    public void Composed_and_reshaped_layers_export_as_expected()
    {
        OnnxModel onnx = gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "composed", new TensorShape(4, 3, 5));
            model.Add(new PReluLayer(ctx, "prelu", 4, initialSlope: 0.3f));
            model.Add(new CReluLayer("crelu"));
            model.Add(new MaxoutLayer("maxout", 4));
            model.Add(new DropoutLayer("drop", 0.5f));
            model.Add(new ReshapeLayer("reshape", -1, 5));
            model.Add(new SoftmaxLayer("softmax", axis: 2, logarithm: true));
            return OnnxExporter.ToOnnx(model, new OnnxExportOptions { OutputNames = ["log_probabilities"], GraphName = "g", DocString = "test" });
        });
        OnnxGraph g = onnx.Graph;
        Assert.Equal("g", g.Name);
        Assert.Equal("test", onnx.DocString);
        Assert.Equal(["PRelu", "Relu", "Neg", "Relu", "Concat", "Reshape", "ReduceMax", "Identity", "Reshape", "LogSoftmax"], g.Nodes.Select(n => n.OpType));
        Assert.Equal([4L, 1, 1], g.FindInitializer("prelu.slope")!.Dims.ToArray());   // [C] -> [C,1,1] to broadcast over NCHW
        Assert.Equal([0.3f, 0.3f, 0.3f, 0.3f], g.FindInitializer("prelu.slope")!.ToFloatArray());
        OnnxNode concat = g.Nodes[4];
        Assert.Equal(["crelu/Relu", "crelu/Relu_1"], concat.Inputs.ToArray());    // [relu(x), relu(-x)] along channels
        Assert.Equal(1, concat.FindAttribute("axis")!.I);
        Assert.Equal([0L, 2, 4, 3, 5], g.FindInitializer("maxout.shape")!.ToInt64Array());   // [N, C/k, k, H, W]
        OnnxNode reduce = g.Nodes[6];
        Assert.Equal([2L], Ints(reduce, "axes"));
        Assert.Equal(0, reduce.FindAttribute("keepdims")!.I);
        Assert.Equal(["maxout"], g.Nodes[7].Inputs.ToArray());                           // dropout: identity at inference
        Assert.Equal([0L, 6, 5], g.FindInitializer("reshape.shape")!.ToInt64Array());   // 0 copies the batch; -1 resolved
        Assert.Equal(2, g.Nodes[9].FindAttribute("axis")!.I);
        Assert.Equal("log_probabilities FLOAT [N,6,5]", Assert.Single(g.Outputs).ToString());
    }

    [Fact]
    public void Outputs_that_are_inputs_or_repeated_get_identity_nodes()
    {
        OnnxModel onnx = gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "outputs", new TensorShape(2, 3, 3));
            int relu = model.Add(new ActivationLayer("relu", ActivationOptions.Relu()));
            int flat = model.Add(new FlattenLayer("flatten", axis: 0), relu);
            model.SetOutputs(relu, 0, relu, flat);
            return OnnxExporter.ToOnnx(model);
        });
        OnnxGraph g = onnx.Graph;
        Assert.Equal(["output_0", "output_1", "output_2", "output_3"], g.Outputs.Select(o => o.Name));
        Assert.Equal(["relu", "flatten", "output_1", "output_2"], g.Nodes.Select(n => n.Name));
        Assert.Equal(["output_0"], g.Nodes[0].Outputs.ToArray());
        Assert.Equal(["input"], g.Nodes[2].Inputs.ToArray());
        Assert.Equal(["output_0"], g.Nodes[3].Inputs.ToArray());
        Assert.Equal("output_3 FLOAT [1,?]", g.Outputs[3].ToString());   // Flatten(axis 0) folds the batch into axis 1
    }

    [Fact]
    public void A_graph_that_only_takes_one_image_is_written_with_batch_one()
    {
        OnnxModel onnx = gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "single", new TensorShape(2, 3, 3));
            model.Add(new FlattenLayer("flatten", axis: 0));   // [1, N*18]: a Linear of 18 inputs takes N = 1 only
            model.Add(new LinearLayer(ctx, "fc", 18, 4));
            return OnnxExporter.ToOnnx(model);
        });
        Assert.Equal("input FLOAT [1,2,3,3]", Assert.Single(onnx.Graph.Inputs).ToString());
        Assert.Equal("output FLOAT [1,4]", Assert.Single(onnx.Graph.Outputs).ToString());
    }
}
