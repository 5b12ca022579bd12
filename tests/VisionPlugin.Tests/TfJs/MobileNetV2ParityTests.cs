using System.Diagnostics;
using System.Runtime.InteropServices;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.TfJs;
using VisionPlugin.Engine.Zoo;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// The pretrained backbone against TensorFlow.js: six real photos (Fixtures/mobilenet_v2, made by
/// scripts/peers/make-mobilenet-fixtures.sh) through the imported nsfwjs MobileNetV2 on the GPU, compared with the
/// features and outputs tfjs-layers computed for the same inputs. The original classification head appears only in
/// <see cref="FullOriginalModel_MatchesTensorFlowJsOutputs"/>; the product uses the trunk.
/// </summary>
[Collection("Gpu")]
public sealed class MobileNetV2ParityTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const int ImageCount = 6, Size = 224, FeatureCount = 1280;
    private const double Tolerance = 1e-4;

    [Fact]
    public void Trunk_MatchesTensorFlowJsFeatures()
    {
        PretrainedModelFixture.EnsureMobileNetV2();
        float[] input = Inputs();
        float[] expected = Floats("trunk_features.f32", ImageCount * FeatureCount);
        gpu.Run(ctx =>
        {
            using Model trunk = PretrainedZoo.MobileNetV2Trunk(ctx);
            Assert.Equal(new TensorShape(3, Size, Size), trunk.InputShapes[0]);
            // Keras' MobileNetV2 without top: 2,257,984 values, of which 34,112 are batch-norm moving statistics (buffers here).
            Assert.DoesNotContain(trunk.Layers, l => l.Name.StartsWith("dense", StringComparison.Ordinal) || l is LinearLayer);
            Assert.Equal(2_223_872, trunk.Parameters.Sum(p => (long)p.Shape.ElementCount));
            Assert.Equal(34_112, trunk.Layers.SelectMany(l => l.Buffers).Sum(b => (long)b.Tensor.ElementCount));
            Assert.Equal(new TensorShape(1, FeatureCount), trunk.InferShapes()[trunk.Outputs[0]]);
            using var batch = Tensor.FromData(ctx, new TensorShape(ImageCount, 3, Size, Size), input);
            Tensor features = trunk.Forward(batch, training: false);
            Assert.Equal(new TensorShape(ImageCount, FeatureCount), features.Shape);
            float[] actual = features.ToArray();
            output.WriteLine($"trunk features: max |diff| {MaxAbsDiff(expected, actual):G3} over {actual.Length} values (max |x| {expected.Max(Math.Abs):G4})");
            TensorAssert.Close("mobilenet_v2 trunk", "6 photos vs tfjs", features.Shape, Widen(expected), actual, atol: Tolerance, rtol: 0);

            // Batch-1 forward time once the programs are compiled (informative; llvmpipe on 2 cores is slow).
            using var one = Tensor.FromData(ctx, new TensorShape(1, 3, Size, Size), input.AsSpan(0, 3 * Size * Size));
            trunk.Forward(one, training: false).ToArray();
            var watch = Stopwatch.StartNew();
            float[] single = trunk.Forward(one, training: false).ToArray();
            output.WriteLine($"batch-1 forward on {ctx.Device.Renderer}: {watch.Elapsed.TotalMilliseconds:F0} ms");
            TensorAssert.Close("mobilenet_v2 trunk", "batch 1 vs tfjs", new TensorShape(1, FeatureCount), Widen(expected.AsSpan(0, FeatureCount).ToArray()), single, atol: Tolerance, rtol: 0);
        });
    }

    [Fact]
    public void FullOriginalModel_MatchesTensorFlowJsOutputs()
    {
        PretrainedModelFixture.EnsureMobileNetV2();
        float[] input = Inputs();
        gpu.Run(ctx =>
        {
            using Model full = TfJsImporter.Import(ctx, PretrainedZoo.ModelDirectory("mobilenet_v2"));
            using var batch = Tensor.FromData(ctx, new TensorShape(ImageCount, 3, Size, Size), input);
            Tensor outputs = full.Forward(batch, training: false);
            int classes = outputs.Shape[1];
            float[] expected = Floats("full_model_outputs.f32", ImageCount * classes);
            float[] actual = outputs.ToArray();
            output.WriteLine($"full model: outputs {outputs.Shape}, max |diff| {MaxAbsDiff(expected, actual):G3}");
            TensorAssert.Close("nsfwjs mobilenet_v2 (full)", "6 photos vs tfjs", outputs.Shape, Widen(expected), actual, atol: Tolerance, rtol: 0);
        });
    }

    /// <summary>The fixture photos as NCHW float32 RGB in [0,1]: q / 255 of the stored HWC bytes, as the peer fed tfjs.</summary>
    private static float[] Inputs()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Fixture("mobilenet_v2"), "images_224_rgb8.bin"));
        if (bytes.Length != ImageCount * Size * Size * 3) throw new XunitException($"images_224_rgb8.bin has {bytes.Length} bytes.");
        var nchw = new float[bytes.Length];
        for (int n = 0; n < ImageCount; n++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    for (int c = 0; c < 3; c++)
                        nchw[((n * 3 + c) * Size + y) * Size + x] = (float)(bytes[((n * Size + y) * Size + x) * 3 + c] / 255.0);
        return nchw;
    }

    private static float[] Floats(string file, int count)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Fixture("mobilenet_v2"), file));
        if (bytes.Length != count * 4) throw new XunitException($"{file} has {bytes.Length} bytes; expected {count * 4}.");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static double[] Widen(float[] values) => Array.ConvertAll(values, v => (double)v);

    private static double MaxAbsDiff(float[] expected, float[] actual) =>
        expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
}
