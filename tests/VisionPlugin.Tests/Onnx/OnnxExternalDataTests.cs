using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx;

/// <summary>
/// External tensor data is read only from files inside the model's folder: relative locations,
/// no "..", no absolute paths, no symbolic links leading out, and offset/length within the file.
/// </summary>
public sealed class OnnxExternalDataTests : IDisposable
{
    private static readonly float[] Weights = [1f, 2f, 3f, 4f, 5f, 6f];
    private readonly string _root = Directory.CreateTempSubdirectory("visionplugin-onnx-external-").FullName;
    private readonly string _modelFolder;

    public OnnxExternalDataTests()
    {
        _modelFolder = Directory.CreateDirectory(Path.Combine(_root, "model")).FullName;
        // A file outside the model folder holding exactly the bytes the tensor needs: if the reader
        // followed a location to it, the read would succeed, so every refusal below is the path check.
        File.WriteAllBytes(Path.Combine(_root, "secret.bin"), FloatBytes(Weights));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static byte[] FloatBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private string WriteModel(string location, long? offset = null, long? length = null)
    {
        string path = Path.Combine(_modelFolder, "model.onnx");
        File.WriteAllBytes(path, ProtoBuilder.Model(ProtoBuilder.ExternalTensor("w", [2, 3], location, offset, length)).ToArray());
        return path;
    }

    private static string Refusal(string modelPath) => Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(modelPath)).Message;

    [Fact]
    public void Data_next_to_the_model_is_read_into_raw_data()
    {
        File.WriteAllBytes(Path.Combine(_modelFolder, "weights.bin"), [.. new byte[16], .. FloatBytes(Weights), 9, 9]);
        var model = OnnxReader.ReadModel(WriteModel("weights.bin", offset: 16, length: 24));
        var w = model.Graph.FindInitializer("w")!;
        Assert.Equal(Weights, w.ToFloatArray());
        Assert.Equal(24, w.RawData.Count);

        // Once read, the model is self-contained: writing it inlines the data.
        var copy = OnnxReader.ReadModel(OnnxWriter.ToBytes(model), baseFolder: null);
        Assert.Equal(model, copy);
    }

    [Fact]
    public void Subfolders_and_links_that_stay_inside_are_allowed()
    {
        Directory.CreateDirectory(Path.Combine(_modelFolder, "data"));
        File.WriteAllBytes(Path.Combine(_modelFolder, "data", "w.bin"), FloatBytes(Weights));
        Assert.Equal(Weights, OnnxReader.ReadModel(WriteModel("./data/w.bin")).Graph.Initializers[0].ToFloatArray());
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "alias.bin"), Path.Combine("data", "w.bin"));
        Assert.Equal(Weights, OnnxReader.ReadModel(WriteModel("alias.bin")).Graph.Initializers[0].ToFloatArray());
    }

    [Theory]
    [InlineData("../secret.bin")]
    [InlineData("data/../../secret.bin")]
    [InlineData("..\\secret.bin")]
    public void Parent_folder_locations_are_refused_before_any_file_is_opened(string location)
    {
        string message = Refusal(WriteModel(location));
        Assert.Contains($"external data location '{location}' of tensor 'w' is outside the model folder", message);
    }

    [Fact]
    public void Absolute_locations_are_refused()
    {
        string absolute = Path.Combine(_root, "secret.bin");
        Assert.Contains($"external data location '{absolute}' of tensor 'w' is outside the model folder", Refusal(WriteModel(absolute)));
        Assert.Contains("is outside the model folder", Refusal(WriteModel("/etc/passwd")));
    }

    [Fact]
    public void Symbolic_links_that_lead_out_of_the_folder_are_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_modelFolder, "inside.bin"), Path.Combine("..", "secret.bin"));
        Assert.Contains("external data location 'inside.bin' of tensor 'w' is outside the model folder (it resolves to", Refusal(WriteModel("inside.bin")));
        Directory.CreateSymbolicLink(Path.Combine(_modelFolder, "linked"), _root);
        Assert.Contains("is outside the model folder", Refusal(WriteModel("linked/secret.bin")));
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_refused()
    {
        Assert.Contains("external data location 'missing.bin' of tensor 'w' does not exist", Refusal(WriteModel("missing.bin")));
        Directory.CreateDirectory(Path.Combine(_modelFolder, "folder"));
        Assert.Contains("external data location 'folder' of tensor 'w' is a folder, not a file", Refusal(WriteModel("folder")));
    }

    [Fact]
    public void Offset_and_length_must_fit_the_file_and_the_tensor()
    {
        File.WriteAllBytes(Path.Combine(_modelFolder, "w.bin"), FloatBytes(Weights));
        Assert.Contains("asks for bytes 8..32 but the file has 24", Refusal(WriteModel("w.bin", offset: 8)));
        Assert.Contains("asks for bytes 100..124 but the file has 24", Refusal(WriteModel("w.bin", offset: 100, length: 24)));
        Assert.Contains("declares length 20, but the tensor needs 24 bytes", Refusal(WriteModel("w.bin", length: 20)));

        string path = Path.Combine(_modelFolder, "model.onnx");
        var badOffset = new ProtoBuilder().Int(1, 6).Int(2, 1).String(8, "w")
            .Message(13, new ProtoBuilder().String(1, "location").String(2, "w.bin"))
            .Message(13, new ProtoBuilder().String(1, "offset").String(2, "-4"))
            .Int(14, 1);
        File.WriteAllBytes(path, ProtoBuilder.Model(badOffset).ToArray());
        Assert.Contains("external data offset '-4' of tensor 'w' is not a non-negative integer", Refusal(path));
    }

    [Fact]
    public void External_data_needs_a_location_and_a_base_folder()
    {
        var noLocation = new ProtoBuilder().Int(1, 1).Int(2, 1).String(8, "w").Int(14, 1);
        Assert.Contains("external data of tensor 'w' has no location",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(ProtoBuilder.Model(noLocation).ToArray(), _modelFolder)).Message);
        byte[] model = ProtoBuilder.Model(ProtoBuilder.ExternalTensor("w", [2, 3], "w.bin")).ToArray();
        Assert.Contains("cannot be resolved: the model was read from memory with no base folder",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(model, baseFolder: null)).Message);
    }

    [Fact]
    public void External_data_counts_toward_the_total_size_limit_before_it_is_read()
    {
        File.WriteAllBytes(Path.Combine(_modelFolder, "w.bin"), FloatBytes(Weights));
        var limits = new OnnxReadLimits { MaxTotalInitializerBytes = 16 };
        Assert.Contains("tensor data reaches 24 bytes at tensor 'w', more than the limit 16",
            Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadModel(WriteModel("w.bin"), limits)).Message);
    }
}
