using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>Bad models and bad inputs fail with one clear, specific exception; nothing else escapes.</summary>
[Collection("Gpu")]
public sealed class OnnxImportErrorTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static OnnxModel Conv2d => OnnxReader.ReadModel(ConformanceCases.ModelPath("pytorch-converted/test_Conv2d"));

    private T Fails<T>(OnnxModel model, OnnxImportOptions? options = null) where T : Exception =>
        gpu.Run(ctx => Assert.Throws<T>(() => OnnxImporter.Load(ctx, model, options).Dispose()));

    [Fact]
    public void Truncated_and_foreign_files_are_format_errors_naming_the_file()
    {
        byte[] bytes = File.ReadAllBytes(ConformanceCases.ModelPath("pytorch-converted/test_Conv2d"));
        string truncated = Path.Combine(_folder, "truncated.onnx"), png = Path.Combine(_folder, "image.onnx");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        File.WriteAllBytes(png, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);
        gpu.Run(ctx =>
        {
            foreach (string path in new[] { truncated, png, Path.Combine(_folder, "missing.onnx") })
            {
                var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Load(ctx, path).Dispose());
                Assert.Contains(path, e.Message);
            }
        });
    }

    [Fact]
    public void One_error_lists_every_unsupported_operator_with_its_nodes()
    {
        OnnxModel model = new TestGraph().Input("x", 1, 3, 4, 4)
            .NamedNode("up1", "Resize", ["x"], ["a"])
            .NamedNode("", "Resize", ["a"], ["b"])
            .NamedNode("loop", "Loop", ["b"], ["c"])
            .NamedNode("relu", "Relu", ["c"], ["d"])
            .Output("d").Build();
        model = model with
        {
            Graph = model.Graph with
            {
                Nodes = ValueArray.From(model.Graph.Nodes.Append(new OnnxNode("custom", "FusedThing", "com.example", ["d"], ["e"], default))),
            },
        };
        var e = Fails<OnnxImportException>(model);
        Assert.Contains("3 operator type(s)", e.Message);
        Assert.Contains("Resize (2 nodes 'up1', #1 (-> 'b'))", e.Message);
        Assert.Contains("Loop (node 'loop')", e.Message);
        Assert.Contains("com.example.FusedThing (node 'custom')", e.Message);
        Assert.DoesNotContain("Relu (", e.Message);
    }

    [Fact]
    public void A_cycle_is_refused_naming_its_nodes()
    {
        OnnxModel model = new TestGraph().Input("x", 2, 3)
            .NamedNode("first", "Add", ["x", "b"], ["a"])
            .NamedNode("second", "Relu", ["a"], ["b"])
            .NamedNode("after", "Relu", ["b"], ["y"])
            .Output("y").Build();
        var e = Fails<OnnxImportException>(model);
        Assert.Contains("cycle", e.Message);
        Assert.Contains("Add 'first'", e.Message);
        Assert.Contains("Relu 'second'", e.Message);
        Assert.Contains("3 node(s) can never run", e.Message);
    }

    [Fact]
    public void A_value_nothing_produces_and_a_value_produced_twice_are_refused()
    {
        var missing = Fails<OnnxImportException>(new TestGraph().Input("x", 2).NamedNode("r", "Relu", ["nowhere"], ["y"]).Output("y").Build());
        Assert.Contains("Relu 'r' reads 'nowhere', which no node, graph input or initializer produces", missing.Message);
        var twice = Fails<OnnxImportException>(new TestGraph().Input("x", 2)
            .NamedNode("a", "Relu", ["x"], ["y"]).NamedNode("b", "Tanh", ["x"], ["y"]).Output("y").Build());
        Assert.Contains("'y' is produced by two nodes: Relu 'a' and Tanh 'b'", twice.Message);
    }

    [Fact]
    public void Unsupported_attribute_values_name_the_node_and_the_value()
    {
        var perm = Fails<OnnxImportException>(new TestGraph().Input("x", 2, 3, 4)
            .NamedNode("t", "Transpose", ["x"], ["y"], OnnxAttribute.OfInts("perm", 0, 0, 1)).Output("y").Build());
        Assert.Contains("Transpose 't'", perm.Message);
        Assert.Contains("perm [0,0,1]", perm.Message);

        var conv3d = Fails<OnnxImportException>(new TestGraph().Input("x", 1, 1, 4, 4, 4).Weight("w", [1, 1, 2, 2, 2], 1)
            .NamedNode("c3", "Conv", ["x", "w"], ["y"]).Output("y").Build());
        Assert.Contains("Conv 'c3'", conv3d.Message);
        Assert.Contains("3-D", conv3d.Message);

        var pad = Fails<OnnxImportException>(new TestGraph().Input("x", 1, 2, 3, 3).Ints("pads", 0, 1, 0, 0, 0, 1, 0, 0)
            .NamedNode("p", "Pad", ["x", "pads"], ["y"]).Output("y").Build());
        Assert.Contains("pad axis 1", pad.Message);

        var embedding = Fails<OnnxImportException>(OnnxReader.ReadModel(Path.Combine(ConformanceCases.Root, "pytorch-converted/test_Embedding/model.onnx")));
        Assert.Contains("computed at run time", embedding.Message);

        var groups = Fails<OnnxImportException>(new TestGraph().Input("x", 1, 4, 5, 5).Weight("w", [6, 3, 3, 3], 2)
            .NamedNode("g", "Conv", ["x", "w"], ["y"], OnnxAttribute.OfInt("group", 2)).Output("y").Build());
        Assert.Contains("does not fit input [1,4,5,5]", groups.Message);
    }

    [Fact]
    public void Wrong_input_count_shape_and_element_type_are_argument_errors_naming_the_input()
    {
        OnnxTensor good = GradientProbe.Random("0", 1, 2, 3, 7, 5);
        gpu.Run(ctx =>
        {
            using ImportedModel model = OnnxImporter.Load(ctx, Conv2d);
            var count = Assert.Throws<ArgumentException>(() => model.Run([]));
            Assert.Contains("takes 1 input(s) (0 FLOAT [2,3,7,5]); got 0", count.Message);
            var shape = Assert.Throws<ArgumentException>(() => model.Run([GradientProbe.Random("0", 1, 2, 3, 7, 6)]));
            Assert.Contains("must have shape [2,3,7,5]", shape.Message);
            Assert.Contains("got [2,3,7,6]", shape.Message);
            var type = Assert.Throws<ArgumentException>(() => model.Run([OnnxTensor.FromInt64s("0", [2, 3, 7, 5], new long[210])]));
            Assert.Contains("must be FLOAT; got INT64", type.Message);
            var gradients = Assert.Throws<ArgumentException>(() => model.Gradients([good], []));
            Assert.Contains("1 output(s)", gradients.Message);
            Assert.Single(model.Run([good]));
        });
        // A shape that contradicts the graph's declared dimensions is refused at load time.
        var declared = Fails<OnnxImportException>(Conv2d, new OnnxImportOptions { InputShapes = new Dictionary<string, int[]> { ["0"] = [2, 3, 7, 6] } });
        Assert.Contains("differs at axis 3", declared.Message);
        var unknownName = Fails<OnnxImportException>(Conv2d, new OnnxImportOptions { InputShapes = new Dictionary<string, int[]> { ["image"] = [1] } });
        Assert.Contains("'image', which is not a data input", unknownName.Message);
    }

    [Fact]
    public void A_weight_larger_than_one_buffer_outside_a_fully_connected_layer_is_named()
    {
        var e = Fails<OnnxImportException>(Conv2d, new OnnxImportOptions { MaxBufferBytes = 64 });
        Assert.Contains("weight '1' [4,3,3,2] needs 288 bytes, more than the GPU's 64-byte buffer limit", e.Message);
    }
}
