using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>
/// The ONNX conformance vectors under Onnx/Conformance as import test cases: every single-op case folder of
/// pytorch-converted and pytorch-operator (but the few that are not CNN operators, listed with their reason here and
/// in docs/onnx-support.md) and the nine light/ architectures, whose input follows the README rule.
/// </summary>
public static class ConformanceCases
{
    public static readonly string Root = OnnxConformanceTests.Root;

    /// <summary>Cases left out because they are not CNN operators; the reason is the one docs/onnx-support.md gives.</summary>
    public static readonly IReadOnlyDictionary<string, string> Excluded = new Dictionary<string, string>
    {
        ["pytorch-converted/test_Embedding"] = "embedding lookup: Gather with indices read from an INT64 graph input (data-dependent indexing), not a CNN operator",
        ["pytorch-converted/test_Embedding_sparse"] = "embedding lookup: Gather with indices read from an INT64 graph input (data-dependent indexing), not a CNN operator",
        ["pytorch-converted/test_PoissonNLLLLoss_no_reduce"] = "a Poisson negative log-likelihood loss, not a CNN operator",
    };

    /// <summary>"pytorch-converted/test_Conv2d", ... and "light/light_vgg19", ...; each one test.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string suite in new[] { "pytorch-converted", "pytorch-operator" })
            foreach (string folder in Directory.GetDirectories(Path.Combine(Root, suite)).Order(StringComparer.Ordinal))
            {
                string name = $"{suite}/{Path.GetFileName(folder)}";
                if (!Excluded.ContainsKey(name)) data.Add(name);
            }
        foreach (string model in Directory.GetFiles(Path.Combine(Root, "light"), "*.onnx").Order(StringComparer.Ordinal))
            data.Add($"light/{Path.GetFileNameWithoutExtension(model)}");
        return data;
    }

    public static string ModelPath(string name) => name.StartsWith("light/", StringComparison.Ordinal)
        ? Path.Combine(Root, name + ".onnx")
        : Path.Combine(Root, name, "model.onnx");

    public static string[] InputPaths(string name) => name.StartsWith("light/", StringComparison.Ordinal) ? [] : Numbered(name, "input");

    public static string[] ExpectedPaths(string name) => name.StartsWith("light/", StringComparison.Ordinal)
        ? [Path.Combine(Root, name + "_output_0.pb")]
        : Numbered(name, "output");

    private static string[] Numbered(string name, string prefix)
    {
        string folder = Path.Combine(Root, name, "test_data_set_0");
        var paths = new List<string>();
        for (int i = 0; File.Exists(Path.Combine(folder, $"{prefix}_{i}.pb")); i++) paths.Add(Path.Combine(folder, $"{prefix}_{i}.pb"));
        return paths.ToArray();
    }

    /// <summary>The inputs of a case: its input_N.pb files, or for a light model the README's deterministic ramp.</summary>
    public static OnnxTensor[] Inputs(string name)
    {
        if (!name.StartsWith("light/", StringComparison.Ordinal)) return InputPaths(name).Select(p => OnnxReader.ReadTensor(p)).ToArray();
        OnnxValueInfo input = OnnxReader.ReadModel(ModelPath(name)).Graph.DataInputs().Single();
        long[] dims = input.Shape!.Value.Select(d => d.Value ?? 1).ToArray();
        return [Ramp(input.Name, dims)];
    }

    /// <summary>x = arange(prod(S)).reshape(S) / prod(S) as float32 (the light/ README rule).</summary>
    public static OnnxTensor Ramp(string name, long[] dims)
    {
        long count = dims.Aggregate(1L, (a, d) => a * d);
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)i / count;
        return OnnxTensor.FromFloats(name, dims, values);
    }

    /// <summary>rtol 1e-3 and atol 1e-7 as the ONNX runner; 2e-3 for DenseNet-121 (README).</summary>
    public static double RelativeTolerance(string name) => name.Contains("densenet", StringComparison.Ordinal) ? 2e-3 : 1e-3;

    public static TensorShape ShapeOf(OnnxTensor tensor) => new(tensor.Dims.ToArray().Select(d => (int)d).ToArray());
}
