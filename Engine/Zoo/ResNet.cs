using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// ResNet (He et al. 2015), as torchvision builds it (v1.5: a bottleneck block strides in its 3x3 convolution).
/// <code>
/// conv1 7x7/2 3->64 (no bias), bn1, relu, maxpool 3x3/2 pad 1      [64,56,56] at 224x224
/// layer1..layer4: blocks at 64, 128, 256, 512 base channels; the first block of layer2..4 strides 2
/// avgpool (global), flatten, fc -> classes
/// </code>
/// Basic block (18, 34): conv1 3x3 -> bn1 -> relu1 -> conv2 3x3 -> bn2, plus the shortcut, then relu.
/// Bottleneck (50, 101, 152): conv1 1x1 -> bn1 -> relu1 -> conv2 3x3 -> bn2 -> relu2 -> conv3 1x1 (x4 channels)
/// -> bn3, plus the shortcut, then relu. Where a block changes the shape, the shortcut is a projection:
/// downsample.0 (1x1 conv with the block's stride, no bias) and downsample.1 (batch norm); else the identity.
/// Convolutions carry no bias (batch norm follows). Names follow torchvision's state-dict keys
/// (<c>layer1.0.conv1.weight</c>, <c>layer2.0.downsample.0.weight</c>, <c>fc.bias</c>) plus <c>{block}.relu1</c>,
/// <c>{block}.add</c>, <c>{block}.relu</c> for the parameter-free layers. Parameters with 1000 classes:
/// ResNet-18 11,689,512; ResNet-34 21,797,672; ResNet-50 25,557,032; ResNet-101 44,549,160; ResNet-152 60,192,808.
/// The global pool head takes any input of at least 8x8 (the total stride is 32).
/// </summary>
public static class ResNet
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    /// <summary>The depths built.</summary>
    public static IReadOnlyList<int> Depths { get; } = [18, 34, 50, 101, 152];

    /// <param name="depth">18, 34, 50, 101 or 152.</param>
    public static Model Build(GpuContext context, int depth, int classCount = 1000, TensorShape? input = null, int seed = 0)
    {
        (bool bottleneck, int[] blocks) = depth switch
        {
            18 => (false, new[] { 2, 2, 2, 2 }),
            34 => (false, [3, 4, 6, 3]),
            50 => (true, [3, 4, 6, 3]),
            101 => (true, [3, 4, 23, 3]),
            152 => (true, [3, 8, 36, 3]),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), $"ResNet depth must be 18, 34, 50, 101 or 152; got {depth}."),
        };
        var b = new ZooBuilder(context, $"resnet{depth}", input ?? DefaultInput, classCount, seed);
        int expansion = bottleneck ? 4 : 1;

        int x = b.Conv("conv1", 0, b.InputChannels, 64, 7, stride: 2, padding: 3, bias: false);
        x = b.BatchNorm("bn1", x, 64);
        x = b.Relu("relu", x);
        x = b.MaxPool("maxpool", x, 3, 2, padding: 1);

        int channels = 64;
        for (int layer = 0; layer < 4; layer++)
        {
            int width = 64 << layer;
            for (int i = 0; i < blocks[layer]; i++)
            {
                string name = $"layer{layer + 1}.{i}";
                int stride = layer > 0 && i == 0 ? 2 : 1;
                x = bottleneck
                    ? Bottleneck(b, name, x, channels, width, stride)
                    : Basic(b, name, x, channels, width, stride);
                channels = width * expansion;
            }
        }

        x = b.GlobalAvgPool("avgpool", x);
        x = b.Flatten("flatten", x);
        b.LinearLogits("fc", x, channels, classCount);
        return b.Finish();
    }

    /// <summary>Two 3x3 convolutions: [in,H,W] -> [width,H/stride,W/stride].</summary>
    private static int Basic(ZooBuilder b, string name, int from, int inChannels, int width, int stride)
    {
        int x = b.Conv($"{name}.conv1", from, inChannels, width, 3, stride, padding: 1, bias: false);
        x = b.BatchNorm($"{name}.bn1", x, width);
        x = b.Relu($"{name}.relu1", x);
        x = b.Conv($"{name}.conv2", x, width, width, 3, padding: 1, bias: false);
        x = b.BatchNorm($"{name}.bn2", x, width);
        return Join(b, name, x, Shortcut(b, name, from, inChannels, width, stride));
    }

    /// <summary>1x1 reduce, 3x3 (strided), 1x1 expand: [in,H,W] -> [4*width,H/stride,W/stride].</summary>
    private static int Bottleneck(ZooBuilder b, string name, int from, int inChannels, int width, int stride)
    {
        int outChannels = 4 * width;
        int x = b.Conv($"{name}.conv1", from, inChannels, width, 1, bias: false);
        x = b.BatchNorm($"{name}.bn1", x, width);
        x = b.Relu($"{name}.relu1", x);
        x = b.Conv($"{name}.conv2", x, width, width, 3, stride, padding: 1, bias: false);
        x = b.BatchNorm($"{name}.bn2", x, width);
        x = b.Relu($"{name}.relu2", x);
        x = b.Conv($"{name}.conv3", x, width, outChannels, 1, bias: false);
        x = b.BatchNorm($"{name}.bn3", x, outChannels);
        return Join(b, name, x, Shortcut(b, name, from, inChannels, outChannels, stride));
    }

    /// <summary>The identity, or a 1x1 strided projection with batch norm when the shape changes.</summary>
    private static int Shortcut(ZooBuilder b, string name, int from, int inChannels, int outChannels, int stride)
    {
        if (stride == 1 && inChannels == outChannels) return from;
        int x = b.Conv($"{name}.downsample.0", from, inChannels, outChannels, 1, stride, bias: false);
        return b.BatchNorm($"{name}.downsample.1", x, outChannels);
    }

    /// <summary>relu(residual + shortcut).</summary>
    private static int Join(ZooBuilder b, string name, int residual, int shortcut) =>
        b.Relu($"{name}.relu", b.Add($"{name}.add", residual, shortcut));
}
