using System.Diagnostics;
using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx;

/// <summary>
/// Files that are not ONNX, are cut short, or lie about their sizes give an
/// <see cref="OnnxFormatException"/> with a specific message, quickly and without large allocations.
/// </summary>
public sealed class OnnxHostileInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-onnx-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string ModelError(string path, OnnxReadLimits? limits = null) =>
        Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(path, limits)).Message;

    /// <summary>Runs <paramref name="read"/>, which must fail fast and allocate little: no buffer sized by the lie.</summary>
    private static string RefusedCheaply(Action read)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<OnnxFormatException>(read);
        Assert.True(clock.ElapsedMilliseconds < 2000, $"took {clock.ElapsedMilliseconds} ms");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes before refusing");
        return e.Message;
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        string path = Write("empty.onnx", []);
        Assert.Equal($"'{path}': empty (0 bytes), not an ONNX model.", ModelError(path));
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_refused_with_the_path()
    {
        string missing = Path.Combine(_folder, "nope.onnx");
        Assert.Equal($"'{missing}': file not found.", ModelError(missing));
        Assert.Contains("is a folder", ModelError(_folder));
    }

    [Fact]
    public void A_truncated_model_names_the_byte_where_parsing_failed()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(OnnxConformanceTests.Root, "pytorch-converted/test_Conv2d_strided/model.onnx"));
        string path = Write("cut.onnx", whole[..(whole.Length / 2)]);
        string message = ModelError(path);
        Assert.StartsWith($"'{path}': truncated or not an ONNX model (protobuf parse failed at byte ", message);
        // Whatever the cut, the error is an OnnxFormatException.
        for (int length = 1; length < whole.Length; length += 7)
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(whole.AsMemory(0, length), baseFolder: null));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_bytes_are_refused(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        string path = Write($"random{seed}.onnx", bytes);
        Assert.StartsWith($"'{path}': ", ModelError(path));
        Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(path));
    }

    [Fact]
    public void A_png_is_not_an_onnx_model()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
        Assert.Contains("not an ONNX model", ModelError(Write("image.png", png)));
    }

    [Fact]
    public void A_tensor_file_given_as_a_model_and_a_model_given_as_a_tensor_are_refused()
    {
        string input = Path.Combine(OnnxConformanceTests.Root, "pytorch-converted/test_Conv2d_strided/test_data_set_0/input_0.pb");
        Assert.Contains("not an ONNX model: field 2 of ModelProto (producer_name) has wire type Varint, expected LengthDelimited", ModelError(input));
        string model = Path.Combine(OnnxConformanceTests.Root, "pytorch-converted/test_Conv2d_strided/model.onnx");
        Assert.Contains("not a TensorProto: field 2 of TensorProto (data_type) has wire type LengthDelimited, expected Varint",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(model)).Message);
    }

    [Fact]
    public void A_model_without_a_graph_is_refused()
    {
        string path = Write("nograph.onnx", new ProtoBuilder().Int(1, 8).ToArray());
        Assert.Equal($"'{path}': not an ONNX model: it has no graph (ModelProto field 7).", ModelError(path));
    }

    [Fact]
    public void Absurd_dims_are_refused_before_allocating()
    {
        var weight = ProtoBuilder.FloatTensor("conv1.weight", [100000, 100000, 100000], [1f, 2f]);
        string path = Write("absurd.onnx", ProtoBuilder.Model(weight).ToArray());
        string message = RefusedCheaply(() => OnnxReader.ReadModel(path));
        Assert.Contains("tensor 'conv1.weight' dims [100000,100000,100000] exceeds the element limit 268435456", message);

        var overflow = ProtoBuilder.FloatTensor("w", [long.MaxValue, long.MaxValue], []);
        Assert.Contains("exceeds the element limit", RefusedCheaply(() => OnnxReader.ReadTensor(overflow.ToArray())));
        var negative = ProtoBuilder.FloatTensor("w", [2, -3], []);
        Assert.Contains("tensor 'w' dims [2,-3] has a negative dimension", RefusedCheaply(() => OnnxReader.ReadTensor(negative.ToArray())));
    }

    [Fact]
    public void Too_many_dims_are_refused()
    {
        var tensor = ProtoBuilder.FloatTensor("w", [1, 1, 1, 1, 1, 1, 1, 1, 1], [1f]);
        Assert.Contains("tensor 'w' has 9 dims, more than the rank limit 8", RefusedCheaply(() => OnnxReader.ReadTensor(tensor.ToArray())));
        var deepShape = new ProtoBuilder();
        for (int i = 0; i < 1000; i++) deepShape.Message(1, new ProtoBuilder().Int(1, 1));
        var input = new ProtoBuilder().String(1, "x").Message(2, new ProtoBuilder().Message(1, new ProtoBuilder().Int(1, 1).Message(2, deepShape)));
        var model = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(11, input));
        Assert.Contains("value 'x' has more than 8 dims", RefusedCheaply(() => OnnxReader.ReadModel(model.ToArray(), null)));
    }

    [Fact]
    public void A_huge_declared_length_is_refused_without_allocating_it()
    {
        // raw_data (field 9) claims 2 GiB - 1 bytes; the file holds 3.
        byte[] tensor = [.. new ProtoBuilder().Int(1, 4).Int(2, 1).Tag(9, 2).Varint(int.MaxValue).ToArray(), 1, 2, 3];
        string message = RefusedCheaply(() => OnnxReader.ReadTensor(tensor));
        Assert.Contains("truncated or not a TensorProto (protobuf parse failed at byte 4", message);
        // A graph (field 7) that claims 1 GiB.
        byte[] model = [.. new ProtoBuilder().Int(1, 8).Tag(7, 2).Varint(1 << 30).ToArray(), 0x0A, 0x00];
        Assert.Contains("truncated", RefusedCheaply(() => OnnxReader.ReadModel(model, null)));
        // A length that does not fit in 32 bits.
        byte[] negative = new ProtoBuilder().Int(1, 8).Tag(7, 2).Varint(ulong.MaxValue).ToArray();
        Assert.Contains("protobuf parse failed", RefusedCheaply(() => OnnxReader.ReadModel(negative, null)));
    }

    [Fact]
    public void A_field_may_not_run_past_the_end_of_its_message()
    {
        // GraphProto of 4 bytes whose name (field 2) claims 10: the bytes after the graph must not be read as its name.
        byte[] model = [.. new ProtoBuilder().Int(1, 8).Tag(7, 2).Varint(4).ToArray(), 0x12, 10, (byte)'a', (byte)'b', .. "cdefghijkl"u8];
        Assert.Contains("truncated or not an ONNX model (protobuf parse failed at byte 4",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(model, null)).Message);
        // The same for a raw_data inside an initializer inside the graph.
        var tensor = new ProtoBuilder().Int(2, 1).Tag(9, 2).Varint(40).ToArray();
        byte[] nested = [.. new ProtoBuilder().Int(1, 8).Tag(7, 2).Varint((ulong)tensor.Length + 2).Tag(5, 2).Varint((ulong)tensor.Length).ToArray(), .. tensor, .. new byte[64]];
        Assert.Contains("truncated", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(nested, null)).Message);
    }

    [Fact]
    public void Deeply_nested_groups_are_refused_without_recursing()
    {
        var model = new ProtoBuilder().Int(1, 8);
        for (int i = 0; i < 100_000; i++) model.Tag(100, 3); // start-group, never closed
        Assert.Contains("protobuf groups nested more than 64 deep", RefusedCheaply(() => OnnxReader.ReadModel(model.ToArray(), null)));

        var shallow = new ProtoBuilder().Tag(100, 3).Int(1, 5).Tag(101, 3).Tag(101, 4).Tag(100, 4).ToArray();
        var graphWithGroups = ProtoBuilder.Model().Raw(shallow); // unknown groups are skipped
        Assert.Equal("Relu", OnnxReader.ReadModel(graphWithGroups.ToArray(), null).Graph.Nodes[0].OpType);
        var mismatched = ProtoBuilder.Model().Tag(100, 3).Tag(101, 4).ToArray();
        Assert.Contains("mismatched end-group", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(mismatched, null)).Message);
    }

    [Fact]
    public void Deeply_nested_subgraphs_are_skipped_not_parsed()
    {
        // If -> then_branch graph -> If -> then_branch graph -> ... 3000 levels; the content of graph attributes is not read.
        var graph = new ProtoBuilder().Message(1, new ProtoBuilder().String(2, "y").String(4, "Relu"));
        for (int i = 0; i < 3000; i++)
        {
            var attribute = new ProtoBuilder().String(1, "then_branch").Message(6, graph).Int(20, 5);
            graph = new ProtoBuilder().Message(1, new ProtoBuilder().String(2, "y").String(4, "If").Message(5, attribute));
        }
        var model = OnnxReader.ReadModel(new ProtoBuilder().Int(1, 8).Message(7, graph).ToArray(), null);
        var branch = model.Graph.Nodes[0].FindAttribute("then_branch")!;
        Assert.Equal(OnnxAttributeType.Graph, branch.Type);
        Assert.Equal("then_branch: GRAPH (content not read)", branch.ToString());
    }

    [Fact]
    public void A_wrong_wire_type_deep_in_the_graph_names_the_field()
    {
        var node = new ProtoBuilder().String(1, "x").Int(4, 7); // op_type as a number
        var model = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(1, node));
        Assert.Contains("field 4 of NodeProto (op_type) has wire type Varint, expected LengthDelimited",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(model.ToArray(), null)).Message);
    }

    [Fact]
    public void Data_that_does_not_match_the_dims_is_refused()
    {
        var shortData = ProtoBuilder.FloatTensor("fc.bias", [2, 3], [1f, 2f, 3f, 4f, 5f]);
        Assert.Contains("tensor 'fc.bias' FLOAT [2,3] has 20 bytes of raw_data; 6 elements need 24",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(ProtoBuilder.Model(shortData).ToArray(), null)).Message);
        var noData = new ProtoBuilder().Int(1, 3).Int(2, 1).String(8, "w");
        Assert.Contains("tensor 'w' FLOAT [3] has no data (3 elements expected)",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(noData.ToArray())).Message);
        var oddPacked = new ProtoBuilder().Int(1, 1).Int(2, 1).Bytes(4, [1, 2, 3]);
        Assert.Contains("packed TensorProto.float_data has 3 bytes, not a whole number of 4-byte values",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(oddPacked.ToArray())).Message);
        var wrongField = new ProtoBuilder().Int(1, 1).Int(2, 1).Int(7, 5);
        Assert.Contains("has values in int64_data, but FLOAT data belongs in float_data or raw_data",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(wrongField.ToArray())).Message);
    }

    [Fact]
    public void Unsupported_or_incomplete_messages_are_refused_by_name()
    {
        var noType = new ProtoBuilder().Int(1, 1).String(8, "w");
        Assert.Contains("tensor 'w' has no data type", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(noType.ToArray())).Message);
        var segmented = new ProtoBuilder().Int(2, 1).String(8, "w").Message(3, new ProtoBuilder().Int(1, 0).Int(2, 1));
        Assert.Contains("tensor 'w' is segmented", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(segmented.ToArray())).Message);
        var sparse = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(15, new ProtoBuilder()));
        Assert.Contains("sparse initializer", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(sparse.ToArray(), null)).Message);
        var noOp = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(1, new ProtoBuilder().String(3, "n1")));
        Assert.Contains("node 'n1' has no op_type", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(noOp.ToArray(), null)).Message);
        var unnamed = new ProtoBuilder().String(4, "Relu").Message(5, new ProtoBuilder().Int(3, 1).Int(20, 2));
        var unnamedModel = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(1, unnamed));
        Assert.Contains("node #0 (Relu) has an attribute with no name", Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(unnamedModel.ToArray(), null)).Message);
    }

    [Fact]
    public void The_limits_are_applied()
    {
        string model = Path.Combine(OnnxConformanceTests.Root, "light/light_resnet50.onnx");
        Assert.Contains("more than the limit 1000", ModelError(model, new OnnxReadLimits { MaxFileBytes = 1000 }));
        Assert.Contains("the graph has more than 100 nodes (the node limit)", ModelError(model, new OnnxReadLimits { MaxNodes = 100 }));
        Assert.Contains("more than the limit 64", ModelError(model, new OnnxReadLimits { MaxTotalInitializerBytes = 64 }));
        Assert.Contains("value 'gpu_0/data_0' has more than 3 dims (the rank limit)", ModelError(model, new OnnxReadLimits { MaxRank = 3 }));
        string input = Path.Combine(OnnxConformanceTests.Root, "pytorch-converted/test_Conv2d_strided/test_data_set_0/input_0.pb");
        Assert.EndsWith("': the tensor of the file dims [2,3,6,6] exceeds the element limit 100.",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadTensor(input, new OnnxReadLimits { MaxElementsPerTensor = 100 })).Message);
        var pads = new ProtoBuilder().String(4, "Conv").String(3, "c1").Message(5, new ProtoBuilder().String(1, "pads").Int(8, 1).Int(8, 1).Int(8, 1).Int(8, 1));
        var padsModel = new ProtoBuilder().Int(1, 8).Message(7, new ProtoBuilder().Message(1, pads)).ToArray();
        Assert.Contains("attribute 'pads' of node #0 has more than 3 values (the element limit)",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(padsModel, null, new OnnxReadLimits { MaxElementsPerTensor = 3 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxReadLimits { MaxNodes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxReadLimits { MaxFileBytes = -5 });
    }

    [Fact]
    public void Errors_are_io_exceptions_so_file_handlers_catch_them()
    {
        Exception e = Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(Write("x.onnx", [0xFF])));
        Assert.IsAssignableFrom<IOException>(e);
    }
}
