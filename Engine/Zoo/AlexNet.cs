using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>Which AlexNet layout <see cref="AlexNet"/> builds.</summary>
public enum AlexNetVariant
{
    /// <summary>
    /// Krizhevsky et al. 2012 (and the course notes): 96-256-384-384-256 filters, LRN after relu1 and relu2 (before
    /// pool1 and pool2), dropout after relu6 and relu7. 62,378,344 parameters at 227x227 with 1000 classes;
    /// 60,965,224 with the two-group convolutions (Caffe bvlc_alexnet).
    /// </summary>
    Original,
    /// <summary>
    /// torchvision's <c>alexnet</c> (the "one weird trick" layout): 64-192-384-256-256 filters, conv1 padding 2,
    /// no LRN, dropout before fc6 and fc7. 61,100,840 parameters at 224x224 with 1000 classes.
    /// </summary>
    TorchVision,
}

/// <summary>Options of <see cref="AlexNet"/>. Immutable.</summary>
public sealed record AlexNetOptions
{
    public AlexNetVariant Variant { get; init; } = AlexNetVariant.Original;
    /// <summary>Original only: conv2, conv4 and conv5 in two groups, the paper's two-GPU split.</summary>
    public bool Grouped { get; init; }
    /// <summary>Local response normalization after relu1 and relu2; null = the variant's own choice (Original yes, TorchVision no).</summary>
    public bool? Lrn { get; init; }
    /// <summary>
    /// Padding of conv1 (11x11 stride 4); null = 2 for TorchVision, and for Original 0 when (size - 11) is a
    /// multiple of 4 (227x227, giving the notes' 55x55) else 2 (224x224 also gives 55x55).
    /// </summary>
    public int? Conv1Padding { get; init; }
    /// <summary>Multiplies every convolution's filter count (1 = the published widths).</summary>
    public double WidthScale { get; init; } = 1;
    /// <summary>Units of fc6 and fc7 (4096 published).</summary>
    public int HiddenUnits { get; init; } = 4096;
    /// <summary>Drop probability of the two classifier dropouts (0.5 published).</summary>
    public float DropoutP { get; init; } = 0.5f;

    public static AlexNetOptions Default { get; } = new();
}

/// <summary>
/// AlexNet (Krizhevsky, Sutskever and Hinton 2012). Original variant, at 227x227:
/// <code>
/// conv1 11x11/4 3->96 [96,55,55], relu1, norm1 (LRN 5, k 2, alpha 1e-4, beta 0.75), pool1 3x3/2 [96,27,27]
/// conv2 5x5 pad 2 ->256 [256,27,27], relu2, norm2, pool2 3x3/2 [256,13,13]
/// conv3 3x3 pad 1 ->384, relu3, conv4 ->384, relu4, conv5 ->256, relu5, pool5 3x3/2 [256,6,6]
/// flatten 9216, fc6 ->4096, relu6, drop6, fc7 ->4096, relu7, drop7, fc8 ->classes
/// </code>
/// fc6's input is sized for the input (channels x height x width after pool5); the smallest input is 64x64
/// (63x63 with <see cref="AlexNetOptions.Conv1Padding"/> 2).
/// </summary>
public static class AlexNet
{
    /// <summary>[3,227,227].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 227, 227);

    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0,
        AlexNetOptions? options = null)
    {
        AlexNetOptions o = options ?? AlexNetOptions.Default;
        ZooBuilder.RequirePositive(o.WidthScale, "AlexNet width scale", nameof(options));
        if (o.HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(options), $"AlexNet hidden units must be >= 1; got {o.HiddenUnits}.");
        bool original = o.Variant == AlexNetVariant.Original;
        if (o.Grouped && !original) throw new ArgumentException("AlexNet: grouped convolutions belong to the Original variant.", nameof(options));
        TensorShape shape = input ?? (original ? DefaultInput : new TensorShape(3, 224, 224));
        var b = new ZooBuilder(context, original ? "alexnet" : "alexnet_torchvision", shape, classCount, seed);

        int groups = o.Grouped ? 2 : 1;
        int Width(int channels) => groups * ZooBuilder.Scale(channels / groups, o.WidthScale);
        int[] c = original ? [Width(96), Width(256), Width(384), Width(384), Width(256)]
                           : [Width(64), Width(192), Width(384), Width(256), Width(256)];
        bool lrn = o.Lrn ?? original;
        // The paper's k = 2, n = 5, alpha = 1e-4, beta = 0.75; LrnOptions divides alpha by the size, so alpha * 5.
        var norm = new LrnOptions { Size = 5, Alpha = 5e-4f, Beta = 0.75f, Bias = 2f };
        int pad1 = o.Conv1Padding ?? (original && (shape[1] - 11) % 4 == 0 ? 0 : 2);

        int x = b.Conv("conv1", 0, b.InputChannels, c[0], 11, stride: 4, padding: pad1);
        x = b.Relu("relu1", x);
        if (lrn) x = b.Lrn("norm1", x, norm);
        x = b.MaxPool("pool1", x, 3, 2);
        x = b.Conv("conv2", x, c[0], c[1], 5, padding: 2, groups: groups);
        x = b.Relu("relu2", x);
        if (lrn) x = b.Lrn("norm2", x, norm);
        x = b.MaxPool("pool2", x, 3, 2);
        x = b.Conv("conv3", x, c[1], c[2], 3, padding: 1);
        x = b.Relu("relu3", x);
        x = b.Conv("conv4", x, c[2], c[3], 3, padding: 1, groups: groups);
        x = b.Relu("relu4", x);
        x = b.Conv("conv5", x, c[3], c[4], 3, padding: 1, groups: groups);
        x = b.Relu("relu5", x);
        x = b.MaxPool("pool5", x, 3, 2);
        int features = b.FeatureCount(x);
        x = b.Flatten("flatten", x);
        return FullyConnectedHead.Append(b, x, features, o.HiddenUnits, classCount, o.DropoutP, dropoutFirst: !original);
    }
}
