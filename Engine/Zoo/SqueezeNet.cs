using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>The two published SqueezeNet versions.</summary>
public enum SqueezeNetVersion
{
    /// <summary>
    /// Iandola et al. 2016: conv1 7x7/2 with 96 filters, pools after conv1, fire4 and fire8.
    /// 1,248,424 parameters with 1000 classes.
    /// </summary>
    V1_0,
    /// <summary>
    /// The SqueezeNet 1.1 release (2.4x less computation, same accuracy): conv1 3x3/2 with 64 filters, pools after
    /// conv1, fire3 and fire5. 1,235,496 parameters with 1000 classes. The zoo's default.
    /// </summary>
    V1_1,
}

/// <summary>
/// SqueezeNet: AlexNet accuracy with 50x fewer parameters, built from fire modules
/// <code>
/// squeeze1x1 (s filters) -> ReLU -> [expand1x1 (e1) -> ReLU] ++ [expand3x3 pad 1 (e3) -> ReLU]   (concat: e1 + e3 channels)
/// </code>
/// and a fully convolutional head: drop9 (p 0.5), conv10 1x1 -> classes, relu_conv10, global average pool, flatten.
/// Max pools are 3x3 stride 2 rounding up (ceil mode), as in Caffe and torchvision. Names follow the Caffe release
/// with dots: <c>fire2.squeeze1x1</c>, <c>fire2.expand3x3.relu</c>, <c>fire2.concat</c>, <c>conv10</c>.
/// Parameter counts match torchvision's <c>squeezenet1_0</c> / <c>squeezenet1_1</c>. The global pool head takes any
/// input of at least 17x17 (1.1) or 21x21 (1.0).
/// </summary>
public static class SqueezeNet
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0,
        SqueezeNetVersion version = SqueezeNetVersion.V1_1)
    {
        bool v10 = version == SqueezeNetVersion.V1_0;
        if (!v10 && version != SqueezeNetVersion.V1_1)
            throw new ArgumentOutOfRangeException(nameof(version), $"Unknown SqueezeNet version {(int)version}.");
        var b = new ZooBuilder(context, v10 ? "squeezenet1_0" : "squeezenet1_1", input ?? DefaultInput, classCount, seed);

        int x = v10
            ? b.Conv("conv1", 0, b.InputChannels, 96, 7, stride: 2)
            : b.Conv("conv1", 0, b.InputChannels, 64, 3, stride: 2);
        x = b.Relu("relu_conv1", x);
        x = b.MaxPool("pool1", x, 3, 2, ceilMode: true);
        int channels = v10 ? 96 : 64;

        // (fire number, squeeze, expand1x1 = expand3x3); a pool follows the fires named in poolsAfter.
        (int Fire, int Squeeze, int Expand)[] fires =
            [(2, 16, 64), (3, 16, 64), (4, 32, 128), (5, 32, 128), (6, 48, 192), (7, 48, 192), (8, 64, 256), (9, 64, 256)];
        int[] poolsAfter = v10 ? [4, 8] : [3, 5];
        foreach (var (fire, squeeze, expand) in fires)
        {
            x = Fire(b, $"fire{fire}", x, channels, squeeze, expand, expand);
            channels = 2 * expand;
            if (poolsAfter.Contains(fire)) x = b.MaxPool($"pool{fire}", x, 3, 2, ceilMode: true);
        }

        x = b.Dropout("drop9", x, 0.5f);
        x = b.Conv("conv10", x, channels, classCount, 1);   // He init: a ReLU follows even here
        x = b.Relu("relu_conv10", x);
        x = b.GlobalAvgPool("pool10", x);
        b.Flatten("flatten", x);
        return b.Finish();
    }

    /// <summary>A fire module: [in,H,W] -> [expand1x1 + expand3x3, H, W]; returns the concatenation's node.</summary>
    private static int Fire(ZooBuilder b, string name, int from, int inChannels, int squeeze, int expand1x1, int expand3x3)
    {
        int s = b.Conv($"{name}.squeeze1x1", from, inChannels, squeeze, 1);
        s = b.Relu($"{name}.squeeze1x1.relu", s);
        int e1 = b.Conv($"{name}.expand1x1", s, squeeze, expand1x1, 1);
        e1 = b.Relu($"{name}.expand1x1.relu", e1);
        int e3 = b.Conv($"{name}.expand3x3", s, squeeze, expand3x3, 3, padding: 1);
        e3 = b.Relu($"{name}.expand3x3.relu", e3);
        return b.Concat($"{name}.concat", e1, e3);
    }
}
