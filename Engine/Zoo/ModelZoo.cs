using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// The classic CNN architectures by name, freshly initialized (He-normal weights for the ReLU layers, Xavier-uniform
/// logits, zero biases; batch norm at scale 1, shift 0), seeded so the same seed gives the same weights. Building
/// and summarizing allocates nothing on the GPU except the running statistics of batch-norm layers; parameters get
/// their storage on first use. Every model outputs logits [N, classCount] (no softmax). The family builders
/// (<see cref="Vgg"/>, <see cref="AlexNet"/>, ...) take further options: widths, variants, dropout.
/// <list type="table">
/// <item><term>lenet5</term><description><see cref="LeNet5"/>, [1,28,28]</description></item>
/// <item><term>alexnet</term><description><see cref="AlexNet"/> Original variant (LRN, dropout, one group), [3,227,227]</description></item>
/// <item><term>zfnet</term><description><see cref="ZfNet"/> with 512-1024-512 conv3-5, [3,224,224]</description></item>
/// <item><term>vgg11, vgg16, vgg19</term><description><see cref="Vgg"/>, [3,224,224]</description></item>
/// <item><term>googlenet</term><description><see cref="GoogLeNet"/> Original variant (no auxiliary heads), [3,224,224]</description></item>
/// <item><term>resnet18, resnet34, resnet50</term><description><see cref="ResNet"/>, [3,224,224]</description></item>
/// <item><term>squeezenet</term><description><see cref="SqueezeNet"/> version 1.1, [3,224,224]</description></item>
/// <item><term>mobilenet_v2_scratch</term><description><see cref="MobileNetV2"/> width 1, [3,224,224]</description></item>
/// <item><term>nin</term><description><see cref="NiN"/>, [3,224,224]</description></item>
/// </list>
/// The name <c>mobilenet_v2</c> is the pretrained trunk: load it with <see cref="PretrainedZoo.Load"/>; it is refused here.
/// </summary>
public static class ModelZoo
{
    private delegate Model Builder(GpuContext context, int classCount, TensorShape? input, int seed);

    private static readonly (string Name, TensorShape Input, Builder Build)[] Entries =
    [
        ("lenet5", LeNet5.DefaultInput, (c, k, i, s) => LeNet5.Build(c, k, i, s)),
        ("alexnet", AlexNet.DefaultInput, (c, k, i, s) => AlexNet.Build(c, k, i, s)),
        ("zfnet", ZfNet.DefaultInput, (c, k, i, s) => ZfNet.Build(c, k, i, s)),
        ("vgg11", Vgg.DefaultInput, (c, k, i, s) => Vgg.Build(c, 11, k, i, s)),
        ("vgg16", Vgg.DefaultInput, (c, k, i, s) => Vgg.Build(c, 16, k, i, s)),
        ("vgg19", Vgg.DefaultInput, (c, k, i, s) => Vgg.Build(c, 19, k, i, s)),
        ("googlenet", GoogLeNet.DefaultInput, (c, k, i, s) => GoogLeNet.Build(c, k, i, s)),
        ("resnet18", ResNet.DefaultInput, (c, k, i, s) => ResNet.Build(c, 18, k, i, s)),
        ("resnet34", ResNet.DefaultInput, (c, k, i, s) => ResNet.Build(c, 34, k, i, s)),
        ("resnet50", ResNet.DefaultInput, (c, k, i, s) => ResNet.Build(c, 50, k, i, s)),
        ("squeezenet", SqueezeNet.DefaultInput, (c, k, i, s) => SqueezeNet.Build(c, k, i, s)),
        ("mobilenet_v2_scratch", MobileNetV2.DefaultInput, (c, k, i, s) => MobileNetV2.Build(c, k, i, s)),
        ("nin", NiN.DefaultInput, (c, k, i, s) => NiN.Build(c, k, i, s)),
    ];

    /// <summary>The registered names, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>True when <paramref name="name"/> is registered (case-insensitive).</summary>
    public static bool Contains(string name) => Entries.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The per-image input shape [C,H,W] <see cref="Build"/> uses when none is given.</summary>
    public static TensorShape DefaultInput(string name) => Find(name).Input;

    /// <summary>
    /// Builds the architecture <paramref name="name"/> (case-insensitive) for <paramref name="classCount"/> classes.
    /// </summary>
    /// <param name="input">Per-image input [C,H,W]; null = <see cref="DefaultInput"/>. Global-pooling heads take any
    /// size above the architecture's minimum; AlexNet, ZFNet and VGG size fc6 for the input.</param>
    /// <param name="seed">Seeds every initializer and dropout layer.</param>
    /// <exception cref="ArgumentException">Unknown name, or an input the architecture cannot take (the message names both).</exception>
    public static Model Build(GpuContext context, string name, int classCount, TensorShape? input = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Find(name).Build(context, classCount, input, seed);
    }

    private static (string Name, TensorShape Input, Builder Build) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var entry in Entries)
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry;
        if (string.Equals(name, "mobilenet_v2", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("'mobilenet_v2' is the pretrained trunk: load it with PretrainedZoo.Load; build 'mobilenet_v2_scratch' for a fresh MobileNetV2.", nameof(name));
        throw new ArgumentException($"Unknown model '{name}'; the zoo has {string.Join(", ", Names)}.", nameof(name));
    }
}
