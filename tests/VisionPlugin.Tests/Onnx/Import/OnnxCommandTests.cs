using System.Text.Json.Nodes;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Tests.EndToEnd;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>onnx-run and onnx-grad as a user runs them: the host as a separate process, files in, files out.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-onnx-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Case(string name, string file) => Path.Combine(ConformanceCases.Root, name, file);

    [Fact]
    public void Onnx_run_writes_the_expected_output_of_a_conformance_case()
    {
        const string name = "pytorch-converted/test_Conv2d_groups";
        string outputs = Path.Combine(_folder, "out");
        var (code, stdout, stderr) = HostProcess.Run(_folder, Limit, "onnx-run", "--model", Case(name, "model.onnx"),
            "--input", Case(name, "test_data_set_0/input_0.pb"), "--output-dir", outputs, "--json");
        Assert.True(code == 0, stderr);
        JsonNode result = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!;
        Assert.Equal(Path.Combine(outputs, "output_0.pb"), (string)result["outputs"]![0]!["file"]!);

        OnnxTensor actual = OnnxReader.ReadTensor(Path.Combine(outputs, "output_0.pb"));
        OnnxTensor expected = OnnxReader.ReadTensor(Case(name, "test_data_set_0/output_0.pb"));
        Assert.Equal("3", actual.Name);   // the graph's output name
        Assert.Equal(expected.Dims, actual.Dims);
        TensorAssert.Close("onnx-run output_0.pb", name, ConformanceCases.ShapeOf(expected),
            expected.ToFloatArray().Select(v => (double)v).ToArray(), actual.ToFloatArray(), atol: 1e-7, rtol: 1e-3);
    }

    [Fact]
    public void Onnx_grad_writes_one_file_per_float_input_and_initializer()
    {
        const string name = "pytorch-converted/test_BatchNorm2d_eval";
        string outputs = Path.Combine(_folder, "grad");
        var (code, stdout, stderr) = HostProcess.Run(_folder, Limit, "onnx-grad", "--model", Case(name, "model.onnx"),
            "--input", Case(name, "test_data_set_0/input_0.pb"), "--grad-output", Case(name, "test_data_set_0/output_0.pb"),
            "--output-dir", outputs, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(["grad_1.pb", "grad_2.pb", "grad_3.pb", "grad_4.pb", "grad_input_0.pb"],
            Directory.GetFiles(outputs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        JsonNode result = JsonNode.Parse(stdout.TrimEnd().Split('\n')[^1])!;
        Assert.Equal(4, result["initializer_gradients"]!.AsArray().Count);
        Assert.Equal([2L, 3, 6, 6], OnnxReader.ReadTensor(Path.Combine(outputs, "grad_input_0.pb")).Dims);
        Assert.Equal("1", OnnxReader.ReadTensor(Path.Combine(outputs, "grad_1.pb")).Name);
    }

    [Fact]
    public void Bad_files_and_inputs_exit_non_zero_with_a_specific_message()
    {
        const string name = "pytorch-converted/test_Conv2d";
        string model = Case(name, "model.onnx"), input = Case(name, "test_data_set_0/input_0.pb");
        string truncated = Path.Combine(_folder, "truncated.onnx");
        byte[] bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        string wrongType = Path.Combine(_folder, "int64.pb");
        OnnxWriter.WriteTensor(OnnxTensor.FromInt64s("0", [2, 3, 7, 5], new long[210]), wrongType);

        var (code, _, stderr) = HostProcess.Run(_folder, Limit, "onnx-run", "--model", truncated, "--input", input, "--output-dir", _folder);
        Assert.Equal(1, code);
        Assert.Contains("truncated.onnx", stderr);
        Assert.Contains("visionplugin onnx-run:", stderr);

        (code, _, stderr) = HostProcess.Run(_folder, Limit, "onnx-run", "--model", model, "--input", wrongType, "--output-dir", _folder);
        Assert.Equal(2, code);
        Assert.Contains("must be FLOAT; got INT64", stderr);

        (code, _, stderr) = HostProcess.Run(_folder, Limit, "onnx-run", "--model", model, "--input", input, "--input", input, "--output-dir", _folder);
        Assert.Equal(2, code);
        Assert.Contains("takes 1 input(s)", stderr);

        (code, _, stderr) = HostProcess.Run(_folder, Limit, "onnx-grad", "--model", model, "--input", input, "--output-dir", _folder);
        Assert.Equal(2, code);
        Assert.Contains("got 0 --grad-output file(s)", stderr);
        Assert.DoesNotContain("   at ", stderr);   // no stack trace
    }
}
