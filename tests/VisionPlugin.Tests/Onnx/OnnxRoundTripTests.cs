using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx;

/// <summary>read(write(m)) == m for models and tensors, whatever the storage of their values.</summary>
public sealed class OnnxRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ushort Half(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>One tensor per storage the format allows for the types a CNN meets.</summary>
    public static TheoryData<string> TensorKinds() => [.. Kinds];

    private static readonly string[] Kinds =
        ["float raw", "float typed", "float16 raw", "float16 typed", "bfloat16 typed", "double raw", "double typed",
         "int64 raw", "int64 typed", "int32 typed", "int8 raw", "uint8 typed", "bool raw", "uint64 typed", "string", "scalar", "empty"];

    internal static OnnxTensor MakeTensor(string kind) => kind switch
    {
        "float raw" => OnnxTensor.FromFloats("w", [2, 3], [1f, -2.5f, 3.25f, float.NaN, float.PositiveInfinity, -0f]),
        "float typed" => new() { Name = "w", DataType = OnnxDataType.Float, Dims = [2, 2], FloatData = [0.1f, 0.2f, -7f, 1e-30f] },
        "float16 raw" => new() { Name = "h", DataType = OnnxDataType.Float16, Dims = [3], RawData = [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B] },
        "float16 typed" => new() { Name = "h", DataType = OnnxDataType.Float16, Dims = [3], Int32Data = [Half(1f), Half(-2f), Half(65504f)] },
        "bfloat16 typed" => new() { Name = "b", DataType = OnnxDataType.BFloat16, Dims = [2], Int32Data = [0x3F80, 0xC040] },
        "double raw" => new() { Name = "d", DataType = OnnxDataType.Double, Dims = [2], RawData = ValueArray.Create<byte>([.. BitConverter.GetBytes(1.5), .. BitConverter.GetBytes(-4.0)]) },
        "double typed" => new() { Name = "d", DataType = OnnxDataType.Double, Dims = [2], DoubleData = [1.5, -4.0] },
        "int64 raw" => new() { Name = "shape", DataType = OnnxDataType.Int64, Dims = [2], RawData = ValueArray.Create<byte>([.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(long.MaxValue)]) },
        "int64 typed" => OnnxTensor.FromInt64s("shape", [4], [1, -1, long.MinValue, 7]),
        "int32 typed" => new() { Name = "i", DataType = OnnxDataType.Int32, Dims = [3], Int32Data = [int.MinValue, -1, 5] },
        "int8 raw" => new() { Name = "q", DataType = OnnxDataType.Int8, Dims = [3], RawData = [0x80, 0xFF, 0x05] },
        "uint8 typed" => new() { Name = "u", DataType = OnnxDataType.UInt8, Dims = [2], Int32Data = [0, 255] },
        "bool raw" => new() { Name = "mask", DataType = OnnxDataType.Bool, Dims = [3], RawData = [1, 0, 1] },
        "uint64 typed" => new() { Name = "big", DataType = OnnxDataType.UInt64, Dims = [2], UInt64Data = [0, 12345678901234] },
        "string" => new() { Name = "labels", DataType = OnnxDataType.String, Dims = [2], StringData = ["cat", "chien ü"] },
        "scalar" => OnnxTensor.FromFloats("s", [], [42f]),
        "empty" => OnnxTensor.FromFloats("e", [0, 3], []),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(TensorKinds))]
    public void Tensor_files_round_trip(string kind)
    {
        var tensor = MakeTensor(kind);
        string path = Path.Combine(_folder, "t.pb");
        OnnxWriter.WriteTensor(tensor, path);
        var back = OnnxReader.ReadTensor(path);
        Assert.Equal(tensor, back);
        Assert.Equal(tensor, OnnxReader.ReadTensor(OnnxWriter.ToBytes(tensor)));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp")); // the temporary file was renamed away
    }

    [Fact]
    public void A_model_with_every_modelled_field_round_trips()
    {
        var model = RichModel();
        string path = Path.Combine(_folder, "rich.onnx");
        OnnxWriter.WriteModel(model, path);
        var back = OnnxReader.ReadModel(path);
        Assert.Equal(model, back);
        Assert.Equal(model.GetHashCode(), back.GetHashCode());
        Assert.Equal(OnnxWriter.ToBytes(model), File.ReadAllBytes(path));
        Assert.NotEqual(model, back with { ProducerVersion = "other" });
        Assert.NotEqual(model.Graph, back.Graph with { Initializers = [.. back.Graph.Initializers.Skip(1)] });
    }

    [Fact]
    public void Writing_replaces_an_existing_file_atomically()
    {
        string path = Path.Combine(_folder, "m.onnx");
        File.WriteAllText(path, "old contents");
        var model = RichModel();
        OnnxWriter.WriteModel(model, path);
        Assert.Equal(model, OnnxReader.ReadModel(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Writing_into_a_missing_folder_names_the_path()
    {
        string path = Path.Combine(_folder, "no", "such", "m.onnx");
        var e = Assert.ThrowsAny<IOException>(() => OnnxWriter.WriteModel(RichModel(), path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Writing_a_tensor_whose_data_does_not_match_its_dims_is_refused()
    {
        var bad = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [2, 2], FloatData = [1f, 2f, 3f] };
        var e = Assert.Throws<OnnxFormatException>(() => OnnxWriter.WriteTensor(bad, Path.Combine(_folder, "bad.pb")));
        Assert.Contains("tensor 'w' FLOAT [2,2] has 3 values in float_data; 4 elements need 4", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromFloats("w", [2, 2], [1f]));
    }

    [Theory]
    [MemberData(nameof(OnnxConformanceTests.Models), MemberType = typeof(OnnxConformanceTests))]
    public void Conformance_models_round_trip(string relative)
    {
        var model = OnnxReader.ReadModel(Path.Combine(OnnxConformanceTests.Root, relative));
        Assert.Equal(model, OnnxReader.ReadModel(OnnxWriter.ToBytes(model), baseFolder: null));
    }

    [Fact]
    public void Bytes_in_the_middle_of_a_larger_buffer_parse()
    {
        byte[] model = OnnxWriter.ToBytes(RichModel());
        byte[] padded = [.. new byte[7], .. model, .. new byte[5]];
        Assert.Equal(RichModel(), OnnxReader.ReadModel(padded.AsMemory(7, model.Length), baseFolder: null));
    }

    internal static OnnxModel RichModel()
    {
        ValueArray<OnnxTensor> initializers = [.. Kinds.Select(kind => MakeTensor(kind) with { Name = "init_" + kind })];
        var attributes = new[]
        {
            OnnxAttribute.OfFloat("alpha", 0.2f),
            OnnxAttribute.OfFloat("zero", 0f),
            OnnxAttribute.OfInt("group", 1),
            OnnxAttribute.OfInt("axis", -1),
            OnnxAttribute.OfString("auto_pad", "SAME_UPPER"),
            OnnxAttribute.OfString("empty", ""),
            OnnxAttribute.OfTensor("value", OnnxTensor.FromFloats("", [1], [0.5f])),
            OnnxAttribute.OfFloats("scales", 1f, 2f, 0.5f),
            OnnxAttribute.OfInts("pads", 0, 0, 1, 1),
            OnnxAttribute.OfInts("no_ints"),
            OnnxAttribute.OfStrings("directions", "forward", "reverse"),
            new OnnxAttribute { Name = "tensors", Type = OnnxAttributeType.Tensors, Tensors = [OnnxTensor.FromInt64s("a", [1], [3]), MakeTensor("float16 raw")] },
            new OnnxAttribute { Name = "then_branch", Type = OnnxAttributeType.Graph },
        };
        var nodes = new OnnxNode[]
        {
            new("conv1", "Conv", "", ["x", "init_float raw", ""], ["y"], [.. attributes]),
            new("", "Relu", "", ["y"], ["z"], []),
            new("custom", "MyOp", "com.example", ["z"], ["out", "aux"], [OnnxAttribute.OfInt("k", 3)]),
        };
        ValueArray<OnnxDimension> imageShape = [OnnxDimension.Symbolic("batch"), OnnxDimension.Known(3), OnnxDimension.Known(224), OnnxDimension.Unknown];
        var graph = new OnnxGraph("rich", [.. nodes], initializers,
            [new OnnxValueInfo("x", OnnxDataType.Float, imageShape), new OnnxValueInfo("init_float raw", OnnxDataType.Float, [OnnxDimension.Known(2), OnnxDimension.Known(3)])],
            [new OnnxValueInfo("out", OnnxDataType.Float, [OnnxDimension.Known(0)]), new OnnxValueInfo("aux", OnnxDataType.Float, null)],
            [new OnnxValueInfo("y", OnnxDataType.Float16, []), new OnnxValueInfo("z", OnnxDataType.Undefined, null)]);
        return new OnnxModel
        {
            IrVersion = 8,
            OpsetImports = [new("", 13), new("com.example", 1)],
            ProducerName = "VisionPlugin",
            ProducerVersion = "1.0",
            Domain = "org.visionplugin",
            ModelVersion = 3,
            DocString = "A model that uses every field the records model.",
            Graph = graph,
            Metadata = [new("labels", "cat,dog"), new("mean", "0.485,0.456,0.406")],
        };
    }
}
