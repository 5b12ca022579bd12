using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>Options of <see cref="Vgg"/>. Immutable.</summary>
public sealed record VggOptions
{
    /// <summary>Multiplies every convolution's filter count (1 = 64-128-256-512-512).</summary>
    public double WidthScale { get; init; } = 1;
    /// <summary>Units of fc6 and fc7 (4096 published).</summary>
    public int HiddenUnits { get; init; } = 4096;
    /// <summary>Drop probability after relu6 and relu7 (0.5 published).</summary>
    public float DropoutP { get; init; } = 0.5f;

    public static VggOptions Default { get; } = new();
}

/// <summary>
/// VGG (Simonyan and Zisserman 2014), configurations A (11 weight layers), D (16) and E (19): stacks of 3x3
/// stride-1 pad-1 convolutions with ReLU, each stack closed by a 2x2 stride-2 max pool, then the AlexNet-style
/// classifier. VGG-16 at 224x224:
/// <code>
/// conv1_1, conv1_2 ->64 [64,224,224], pool1 [64,112,112]
/// conv2_1, conv2_2 ->128, pool2 [128,56,56]
/// conv3_1..conv3_3 ->256, pool3 [256,28,28]
/// conv4_1..conv4_3 ->512, pool4 [512,14,14]
/// conv5_1..conv5_3 ->512, pool5 [512,7,7]
/// flatten 25088, fc6 ->4096, relu6, drop6, fc7 ->4096, relu7, drop7, fc8 ->classes
/// </code>
/// Each conv is followed by <c>relu{stage}_{i}</c>. With 1000 classes: VGG-11 132,863,336, VGG-16 138,357,544,
/// VGG-19 143,667,240 parameters (torchvision's counts; its adaptive 7x7 pool is the identity at 224x224).
/// fc6's input is sized for the input (512 x H/32 x W/32), so any input of at least 32x32 works.
/// </summary>
public static class Vgg
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    /// <summary>The depths built: 11, 13, 16 and 19 weight layers (configurations A, B, D, E).</summary>
    public static IReadOnlyList<int> Depths { get; } = [11, 13, 16, 19];

    /// <param name="depth">11, 13, 16 or 19.</param>
    public static Model Build(GpuContext context, int depth, int classCount = 1000, TensorShape? input = null, int seed = 0,
        VggOptions? options = null)
    {
        int[] convsPerStage = depth switch
        {
            11 => [1, 1, 2, 2, 2],
            13 => [2, 2, 2, 2, 2],
            16 => [2, 2, 3, 3, 3],
            19 => [2, 2, 4, 4, 4],
            _ => throw new ArgumentOutOfRangeException(nameof(depth), $"VGG depth must be 11, 13, 16 or 19; got {depth}."),
        };
        VggOptions o = options ?? VggOptions.Default;
        ZooBuilder.RequirePositive(o.WidthScale, "VGG width scale", nameof(options));
        if (o.HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(options), $"VGG hidden units must be >= 1; got {o.HiddenUnits}.");
        var b = new ZooBuilder(context, $"vgg{depth}", input ?? DefaultInput, classCount, seed);

        int[] stageWidths = [64, 128, 256, 512, 512];
        int x = 0, channels = b.InputChannels;
        for (int stage = 0; stage < stageWidths.Length; stage++)
        {
            int width = ZooBuilder.Scale(stageWidths[stage], o.WidthScale);
            for (int i = 1; i <= convsPerStage[stage]; i++)
            {
                x = b.Conv($"conv{stage + 1}_{i}", x, channels, width, 3, padding: 1);
                x = b.Relu($"relu{stage + 1}_{i}", x);
                channels = width;
            }
            x = b.MaxPool($"pool{stage + 1}", x, 2, 2);
        }
        int features = b.FeatureCount(x);
        x = b.Flatten("flatten", x);
        return FullyConnectedHead.Append(b, x, features, o.HiddenUnits, classCount, o.DropoutP);
    }
}
