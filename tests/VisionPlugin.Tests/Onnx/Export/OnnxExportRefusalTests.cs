using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx.Export;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// What the exporter refuses, and how: a layer without an ONNX equivalent (a foreign type, or an option opset 13
/// lacks) is named with its type in an <see cref="OnnxExportException"/>; an unwritable path is an IOException naming
/// it; clashing names are an ArgumentException. In every case no file is left behind.
/// </summary>
[Collection("Gpu")]
public sealed class OnnxExportRefusalTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A layer type the exporter does not know: y = x (a user-defined layer outside the engine).</summary>
    private sealed class UserCopyLayer(string name) : UnaryLayer(name)
    {
        public override TensorShape OutputShape(TensorShape input) => input;

        public override Tensor Forward(Tensor input, bool training)
        {
            Tensor output = OutputTensor(input.Context, input.Shape);
            TensorMath.Copy(input, output);
            return output;
        }

        public override Tensor? Backward(Tensor gradOutput, bool needInputGradient) => needInputGradient ? gradOutput : null;
    }

    private OnnxExportException Refused(Func<GpuContext, Model> build, string path) =>
        gpu.Run(ctx =>
        {
            using Model model = build(ctx);
            return Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, path));
        });

    [Fact]
    public void An_unknown_layer_type_is_refused_with_its_name_and_type()
    {
        string path = Path.Combine(_folder, "user.onnx");
        var e = Refused(ctx =>
        {
            var model = new Model(ctx, "user", new TensorShape(2, 4, 4));
            model.Add(new ActivationLayer("relu", ActivationOptions.Relu()));
            model.Add(new UserCopyLayer("my_copy"));
            return model;
        }, path);
        Assert.Equal("my_copy", e.LayerName);
        Assert.Equal("UserCopyLayer", e.LayerType);
        Assert.Contains("'my_copy' (UserCopyLayer)", e.Message);
        Assert.Contains("opset 13", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData(2.5f, 1, "integer p")]
    [InlineData(2f, 2, "dilation 2x2")]
    public void An_lp_pool_opset_13_cannot_express_is_refused(float p, int dilation, string reason)
    {
        string path = Path.Combine(_folder, "lp.onnx");
        var e = Refused(ctx =>
        {
            var model = new Model(ctx, "lp", new TensorShape(2, 6, 6));
            model.Add(new LpPool2dLayer("lp_pool", Pool2dOptions.Create(2, 1, dilation: dilation), p));
            return model;
        }, path);
        Assert.Equal("lp_pool", e.LayerName);
        Assert.Contains("'lp_pool' (LpPool2dLayer)", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_unwritable_path_is_an_io_error_naming_it()
    {
        string notAFolder = Path.Combine(_folder, "file");
        File.WriteAllText(notAFolder, "x");
        string path = Path.Combine(notAFolder, "model.onnx");   // a path "inside" a regular file
        var e = gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "m", new TensorShape(1, 2, 2));
            model.Add(new ActivationLayer("relu", ActivationOptions.Relu()));
            return Assert.Throws<IOException>(() => OnnxExporter.Export(model, path));
        });
        Assert.Contains(path, e.Message);
        Assert.Equal(["file"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Clashing_or_miscounted_names_are_refused()
    {
        gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "m", new TensorShape(1, 2, 2));
            model.Add(new ActivationLayer("relu", ActivationOptions.Relu()));
            var clash = Assert.Throws<ArgumentException>(() => OnnxExporter.ToOnnx(model, new OnnxExportOptions { OutputNames = ["input"] }));
            Assert.Contains("'input'", clash.Message);
            var count = Assert.Throws<ArgumentException>(() => OnnxExporter.ToOnnx(model, new OnnxExportOptions { OutputNames = ["a", "b"] }));
            Assert.Contains("names 2 values; the model has 1", count.Message);
            Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, " "));
        });
    }
}
