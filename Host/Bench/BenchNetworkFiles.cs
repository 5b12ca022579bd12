using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx.Export;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// The network the MobileNetV2 and start-up sections measure, on the GPU and as files: the pretrained default
/// backbone (<see cref="PretrainedZoo"/> <c>mobilenet_v2</c> from the model cache, the trunk every classification and
/// fine-tuning run uses) with a 1000-class linear head (Xavier, seed 0) in place of the package's own head, so its
/// shapes and FLOPs are those of ImageNet MobileNetV2-224. When the cache lacks the model, the zoo's
/// <c>mobilenet_v2_scratch</c> (same layer shapes, random weights) stands in and <see cref="Source"/> says so.
/// Files: the model exported to ONNX (symbolic batch), its labels (<c>class_0..999</c>), a deterministic 224x224 test
/// picture as PNG, and the same picture as raw float32 [3,224,224] RGB in [0,1] (exactly the PNG's bytes ÷ 255).
/// </summary>
/// <param name="Model">Input [N,3,224,224] RGB in [0,1] -> logits [N,1000]. Owned by this object.</param>
/// <param name="Source">Which network this is (pretrained trunk or the zoo stand-in).</param>
/// <param name="ImagePath">Raw little-endian float32 [3,224,224]; for ort_bench.mjs <c>--image PATH:3,224,224</c>.</param>
/// <param name="Image">The test picture as the network input [3,224,224].</param>
internal sealed record BenchNetworkFiles(Model Model, string Source, string OnnxPath, string PngPath, string ImagePath, float[] Image) : IDisposable
{
    public const int ClassCount = 1000;
    public const int Side = 224;

    public static BenchNetworkFiles Create(GpuContext context, string directory)
    {
        var (model, source) = Build(context);
        try
        {
            string onnx = Path.Combine(directory, "mobilenet_v2_1000.onnx");
            OnnxExporter.Export(model, onnx);
            File.WriteAllLines(onnx + ".labels.txt", Enumerable.Range(0, ClassCount).Select(i => $"class_{i}"));
            RgbImage picture = TestPicture();
            string png = Path.Combine(directory, "test_picture.png");
            PngWriter.Save(png, picture);
            float[] image = ToNchw(picture);
            string raw = Path.Combine(directory, "test_picture.f32");
            File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(image.AsSpan()).ToArray());
            return new BenchNetworkFiles(model, source, onnx, png, raw, image);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static (Model Model, string Source) Build(GpuContext context)
    {
        Model trunk;
        string source;
        try
        {
            trunk = PretrainedZoo.MobileNetV2Trunk(context);
            source = $"pretrained mobilenet_v2 trunk ({PretrainedZoo.Describe("mobilenet_v2").Source}) + 1000-class linear head (random, seed 0)";
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Model scratch = ModelZoo.Build(context, "mobilenet_v2_scratch", ClassCount, MobileNetV2.DefaultInput, 0);
            return (scratch, $"zoo mobilenet_v2_scratch, 1000 classes, random weights (pretrained trunk unavailable: {e.Message})");
        }
        int features = trunk.InferShapes()[trunk.Outputs[0]][1];
        var head = new LinearLayer(context, "bench_head", features, ClassCount, weightInit: Initializer.XavierUniform(), random: new Random(0));
        trunk.SetOutputs(trunk.Add(head, trunk.Outputs[0]));
        return (trunk, source);
    }

    /// <summary>Smooth colour gradients with a few bars and a disc: deterministic, not flat (so logits differ by class).</summary>
    private static RgbImage TestPicture()
    {
        var picture = new RgbImage(Side, Side, RgbColor.Black);
        for (int y = 0; y < Side; y++)
        for (int x = 0; x < Side; x++)
        {
            double disc = Math.Sqrt((x - 140.0) * (x - 140) + (y - 90.0) * (y - 90)) < 40 ? 1 : 0;
            byte r = (byte)(255 * (0.5 + 0.5 * Math.Sin(x / 17.0)));
            byte g = (byte)(255 * (0.5 + 0.5 * Math.Cos(y / 23.0 + x / 41.0)));
            byte b = (byte)(255 * Math.Max(disc, (x / 16 + y / 16) % 2 == 0 ? 0.2 : 0.7));
            picture[x, y] = new RgbColor(r, g, b);
        }
        return picture;
    }

    private static float[] ToNchw(RgbImage picture)
    {
        var values = new float[3 * Side * Side];
        ReadOnlySpan<byte> pixels = picture.Pixels;
        for (int i = 0; i < Side * Side; i++)
            for (int c = 0; c < 3; c++)
                values[c * Side * Side + i] = pixels[3 * i + c] / 255f;
        return values;
    }

    public void Dispose() => Model.Dispose();
}
