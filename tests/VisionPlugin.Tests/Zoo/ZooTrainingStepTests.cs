using System.Diagnostics;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Zoo;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Zoo;

/// <summary>
/// One training step of every registered architecture on the GPU: a batch of two small images forward with
/// training = true, then backward from a random dL/dlogits. The logits must have shape [2,10] and be finite, and the
/// first layer's weight gradient must be finite and not all zero (the gradient crossed the whole network).
/// </summary>
[Collection("Gpu")]
public sealed class ZooTrainingStepTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const int BatchSize = 2, ClassCount = 10;

    public static TheoryData<string, int> Inputs() => new()
    {
        { "lenet5", 28 },
        { "alexnet", 67 },
        { "zfnet", 53 },
        { "vgg11", 32 },
        { "vgg16", 32 },
        { "vgg19", 32 },
        { "googlenet", 32 },
        { "resnet18", 32 },
        { "resnet34", 32 },
        { "resnet50", 32 },
        { "squeezenet", 32 },
        { "mobilenet_v2_scratch", 32 },
        { "nin", 64 },
        // Variants the registry does not build by default.
        { "alexnet grouped", 67 },
        { "alexnet torchvision", 64 },
        { "googlenet torchvision", 32 },
        { "squeezenet1_0", 32 },
        { "mobilenet_v2 width 0.5", 32 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TrainingStep_GivesFiniteLogitsAndFirstLayerGradients(string name, int size)
    {
        var timer = Stopwatch.StartNew();
        gpu.Run(ctx =>
        {
            var image = new TensorShape(name == "lenet5" ? 1 : 3, size, size);
            using Model model = Build(ctx, name, image);
            long parameters = model.Summary().TotalParameters;
            using Tensor input = Tensor.FromData(ctx, new TensorShape(BatchSize, image[0], size, size),
                TestData.ToFloat(TestData.Uniform(3, BatchSize * image.ElementCount)));
            Tensor logits = model.Forward(input, training: true);
            Assert.Equal(new TensorShape(BatchSize, ClassCount), logits.Shape);
            float[] values = logits.ToArray();
            Assert.All(values, v => Assert.True(float.IsFinite(v), $"{name}: logit {v}"));

            using Tensor gradLogits = Tensor.FromData(ctx, logits.Shape, TestData.ToFloat(TestData.Uniform(4, values.Length)));
            model.Backward(gradLogits);
            Parameter first = model.Parameters[0];
            float[] gradient = first.Gradient.ToArray();
            Assert.All(gradient, g => Assert.True(float.IsFinite(g), $"{name}: {first.Name} gradient {g}"));
            Assert.True(gradient.Any(g => g != 0), $"{name}: {first.Name} gradient is all zero");
            output.WriteLine($"{name} {image}: {parameters:N0} parameters, first layer {first.Name} {first.Shape}, " +
                             $"|logits| max {values.Max(Math.Abs):G3}, {timer.ElapsedMilliseconds} ms");
        });
    }

    private static Model Build(GpuContext ctx, string name, TensorShape image) => name switch
    {
        "alexnet grouped" => AlexNet.Build(ctx, ClassCount, image, seed: 1, new AlexNetOptions { Grouped = true }),
        "alexnet torchvision" => AlexNet.Build(ctx, ClassCount, image, seed: 1, new AlexNetOptions { Variant = AlexNetVariant.TorchVision }),
        "googlenet torchvision" => GoogLeNet.Build(ctx, ClassCount, image, seed: 1, GoogLeNetVariant.TorchVision),
        "squeezenet1_0" => SqueezeNet.Build(ctx, ClassCount, image, seed: 1, SqueezeNetVersion.V1_0),
        "mobilenet_v2 width 0.5" => MobileNetV2.Build(ctx, ClassCount, image, seed: 1, widthMultiplier: 0.5),
        _ => ModelZoo.Build(ctx, name, ClassCount, image, seed: 1),
    };
}
