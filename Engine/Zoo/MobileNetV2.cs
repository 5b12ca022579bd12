using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018) from scratch, as torchvision's <c>mobilenet_v2</c> lays it out (the zoo name
/// is <c>mobilenet_v2_scratch</c>; <c>mobilenet_v2</c> is kept for the pretrained trunk importer). Inverted residual
/// block with expansion t, stride s, in -> out channels:
/// <code>
/// expand:    1x1 conv in -> t*in, BN, ReLU6           (omitted when t = 1)
/// depthwise: 3x3 conv stride s, groups = t*in, BN, ReLU6
/// project:   1x1 conv t*in -> out, BN                  (linear bottleneck: no activation)
/// add:       + input when s = 1 and in = out
/// </code>
/// Layout (t, c, n, s) after the 3x3/2 stem to 32 channels: (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1)
/// (6,160,3,2) (6,320,1,1), then 1x1 to 1280, BN, ReLU6, global average pool, dropout 0.2, linear classifier.
/// Convolutions carry no bias. Names: <c>features.0.conv</c> (stem), <c>features.{i}.expand.conv</c>,
/// <c>features.{i}.depthwise.bn</c>, <c>features.{i}.project.conv</c>, <c>features.{i}.add</c>, <c>features.18.conv</c>,
/// <c>classifier</c>. 3,504,872 parameters at width 1 with 1000 classes (torchvision's count). The global pool head
/// takes any input of at least 8x8 (the total stride is 32).
/// </summary>
public static class MobileNetV2
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    /// <param name="widthMultiplier">Scales every layer's channels (rounded to multiples of 8); the last conv keeps
    /// at least 1280 channels, as in torchvision.</param>
    /// <param name="dropoutP">Drop probability before the classifier (0.2 published).</param>
    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0,
        double widthMultiplier = 1.0, float dropoutP = 0.2f)
    {
        ZooBuilder.RequirePositive(widthMultiplier, "MobileNetV2 width multiplier", nameof(widthMultiplier));
        var b = new ZooBuilder(context, "mobilenet_v2_scratch", input ?? DefaultInput, classCount, seed);

        int channels = MakeDivisible(32 * widthMultiplier);
        int x = b.ConvBnRelu("features.0", 0, b.InputChannels, channels, 3, stride: 2, padding: 1, relu6: true);
        int index = 1;
        foreach (var (expansion, c, repeats, stride) in Settings)
        {
            int outChannels = MakeDivisible(c * widthMultiplier);
            for (int i = 0; i < repeats; i++)
            {
                x = InvertedResidual(b, $"features.{index++}", x, channels, outChannels, i == 0 ? stride : 1, expansion);
                channels = outChannels;
            }
        }
        int lastChannels = MakeDivisible(1280 * Math.Max(1.0, widthMultiplier));
        x = b.ConvBnRelu($"features.{index}", x, channels, lastChannels, 1, relu6: true);

        x = b.GlobalAvgPool("avgpool", x);
        x = b.Flatten("flatten", x);
        if (dropoutP > 0) x = b.Dropout("dropout", x, dropoutP);
        b.LinearLogits("classifier", x, lastChannels, classCount);
        return b.Finish();
    }

    private static int InvertedResidual(ZooBuilder b, string name, int from, int inChannels, int outChannels, int stride, int expansion)
    {
        int hidden = (int)Math.Round((double)inChannels * expansion);
        int x = from;
        if (expansion != 1) x = b.ConvBnRelu($"{name}.expand", x, inChannels, hidden, 1, relu6: true);
        x = b.ConvBnRelu($"{name}.depthwise", x, hidden, hidden, 3, stride, padding: 1, groups: hidden, relu6: true);
        x = b.Conv($"{name}.project.conv", x, hidden, outChannels, 1, bias: false);
        x = b.BatchNorm($"{name}.project.bn", x, outChannels);
        return stride == 1 && inChannels == outChannels ? b.Add($"{name}.add", x, from) : x;
    }

    /// <summary>
    /// torchvision's <c>_make_divisible(v, 8)</c>: the nearest multiple of 8, at least 8, and never more than 10%
    /// below <paramref name="value"/>.
    /// </summary>
    internal static int MakeDivisible(double value, int divisor = 8)
    {
        int rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
