using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>Which GoogLeNet layout <see cref="GoogLeNet"/> builds.</summary>
public enum GoogLeNetVariant
{
    /// <summary>
    /// Szegedy et al. 2014 as released (Caffe bvlc_googlenet), without the auxiliary classifiers: convolutions with
    /// bias and ReLU, LRN after pool1 and after conv3, 5x5 convolutions in the third branch, 3x3 stride-2 pool4,
    /// dropout 0.4. 6,998,552 parameters with 1000 classes.
    /// </summary>
    Original,
    /// <summary>
    /// torchvision's <c>googlenet(aux_logits=False)</c>: every convolution is bias-free and followed by batch norm
    /// (eps 0.001), the third branch uses a 3x3 convolution where the paper has 5x5 (as torchvision does), no LRN,
    /// 2x2 pool4, dropout 0.2. 6,624,904 parameters with 1000 classes.
    /// </summary>
    TorchVision,
}

/// <summary>
/// GoogLeNet / Inception v1. Each Inception module concatenates four branches along the channels:
/// <code>
/// branch1: 1x1 conv                     -> c1
/// branch2: 1x1 conv (bottleneck) -> 3x3 -> c3
/// branch3: 1x1 conv (bottleneck) -> 5x5 -> c5      (3x3 in the TorchVision variant)
/// branch4: 3x3 max pool stride 1 -> 1x1 -> pool projection
/// </code>
/// The 1x1 bottlenecks cut the cost of the 3x3 and 5x5 convolutions (the notes' 854M -> 358M ops example).
/// Stem at 224x224: conv1 7x7/2 [64,112,112], maxpool1 [64,56,56], conv2 1x1 ->64, conv3 3x3 ->192,
/// maxpool2 [192,28,28]; inception3a [256,28,28], 3b [480], maxpool3 [480,14,14]; 4a..4e [832,14,14], maxpool4
/// [832,7,7]; 5a, 5b [1024,7,7]; global average pool, dropout, fc. Pools round up (ceil mode), as in Caffe.
/// Layer names follow torchvision's state-dict keys: <c>inception4a.branch2.1.conv.weight</c> is the 3x3
/// convolution of inception 4a's second branch; each conv unit is <c>{unit}.conv</c>, <c>{unit}.bn</c> (TorchVision
/// variant) and <c>{unit}.relu</c>. The global pool head takes any input of at least 31x31 (15x15 for the TorchVision variant).
/// </summary>
public static class GoogLeNet
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    // (name, c1, c3 reduce, c3, c5 reduce, c5, pool projection), torchvision / paper Table 1.
    private static readonly (string Name, int C1, int C3Reduce, int C3, int C5Reduce, int C5, int PoolProj)[] Modules =
    [
        ("inception3a", 64, 96, 128, 16, 32, 32),
        ("inception3b", 128, 128, 192, 32, 96, 64),
        ("inception4a", 192, 96, 208, 16, 48, 64),
        ("inception4b", 160, 112, 224, 24, 64, 64),
        ("inception4c", 128, 128, 256, 24, 64, 64),
        ("inception4d", 112, 144, 288, 32, 64, 64),
        ("inception4e", 256, 160, 320, 32, 128, 128),
        ("inception5a", 256, 160, 320, 32, 128, 128),
        ("inception5b", 384, 192, 384, 48, 128, 128),
    ];

    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0,
        GoogLeNetVariant variant = GoogLeNetVariant.Original)
    {
        bool original = variant == GoogLeNetVariant.Original;
        var b = new ZooBuilder(context, original ? "googlenet" : "googlenet_torchvision", input ?? DefaultInput, classCount, seed);
        var unit = new ConvUnit(b, batchNorm: !original);

        int x = unit.Add("conv1", 0, b.InputChannels, 64, 7, stride: 2, padding: 3);
        x = b.MaxPool("maxpool1", x, 3, 2, ceilMode: true);
        if (original) x = b.Lrn("norm1", x, LrnOptions.Default);   // Caffe: local size 5, alpha 1e-4, beta 0.75
        x = unit.Add("conv2", x, 64, 64, 1);
        x = unit.Add("conv3", x, 64, 192, 3, padding: 1);
        if (original) x = b.Lrn("norm2", x, LrnOptions.Default);
        x = b.MaxPool("maxpool2", x, 3, 2, ceilMode: true);

        int channels = 192;
        foreach (var m in Modules)
        {
            if (m.Name == "inception4a") x = b.MaxPool("maxpool3", x, 3, 2, ceilMode: true);
            if (m.Name == "inception5a") x = original ? b.MaxPool("maxpool4", x, 3, 2, ceilMode: true) : b.MaxPool("maxpool4", x, 2, 2, ceilMode: true);
            x = Inception(b, unit, m.Name, x, channels, m.C1, m.C3Reduce, m.C3, m.C5Reduce, m.C5, m.PoolProj, original ? 5 : 3);
            channels = m.C1 + m.C3 + m.C5 + m.PoolProj;
        }

        x = b.GlobalAvgPool("avgpool", x);
        x = b.Flatten("flatten", x);
        x = b.Dropout("dropout", x, original ? 0.4f : 0.2f);
        b.LinearLogits("fc", x, channels, classCount);
        return b.Finish();
    }

    /// <summary>One Inception module fed by <paramref name="from"/>; returns the concatenation's node.</summary>
    private static int Inception(ZooBuilder b, ConvUnit unit, string name, int from, int inChannels,
        int c1, int c3Reduce, int c3, int c5Reduce, int c5, int poolProjection, int thirdKernel)
    {
        int branch1 = unit.Add($"{name}.branch1", from, inChannels, c1, 1);
        int branch2 = unit.Add($"{name}.branch2.0", from, inChannels, c3Reduce, 1);
        branch2 = unit.Add($"{name}.branch2.1", branch2, c3Reduce, c3, 3, padding: 1);
        int branch3 = unit.Add($"{name}.branch3.0", from, inChannels, c5Reduce, 1);
        branch3 = unit.Add($"{name}.branch3.1", branch3, c5Reduce, c5, thirdKernel, padding: thirdKernel / 2);
        int branch4 = b.MaxPool($"{name}.branch4.0", from, 3, 1, padding: 1, ceilMode: true);
        branch4 = unit.Add($"{name}.branch4.1", branch4, inChannels, poolProjection, 1);
        return b.Concat($"{name}.concat", branch1, branch2, branch3, branch4);
    }

    /// <summary>Conv + ReLU (bias, Original) or conv + BN (eps 0.001) + ReLU (no bias, TorchVision's BasicConv2d).</summary>
    private sealed class ConvUnit(ZooBuilder b, bool batchNorm)
    {
        public int Add(string unit, int from, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0)
        {
            if (batchNorm) return b.ConvBnRelu(unit, from, inChannels, outChannels, kernel, stride, padding, epsilon: 1e-3f);
            int conv = b.Conv(unit + ".conv", from, inChannels, outChannels, kernel, stride, padding);
            return b.Relu(unit + ".relu", conv);
        }
    }
}
