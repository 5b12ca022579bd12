using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>Options of <see cref="ZfNet"/>. Immutable.</summary>
public sealed record ZfNetOptions
{
    /// <summary>
    /// conv3, conv4, conv5 with 512, 1024, 512 filters (true: the course notes' "AlexNet but" version, the
    /// ILSVRC 2013 model) or 384, 384, 256 as in the paper's Figure 3 (false).
    /// </summary>
    public bool WideConv345 { get; init; } = true;
    /// <summary>Contrast normalization (LRN) after pool1 and pool2, as in the paper.</summary>
    public bool Lrn { get; init; } = true;
    /// <summary>Multiplies every convolution's filter count (1 = the published widths).</summary>
    public double WidthScale { get; init; } = 1;
    /// <summary>Units of fc6 and fc7 (4096 published).</summary>
    public int HiddenUnits { get; init; } = 4096;
    /// <summary>Drop probability after relu6 and relu7 (0.5 published).</summary>
    public float DropoutP { get; init; } = 0.5f;

    public static ZfNetOptions Default { get; } = new();
}

/// <summary>
/// ZFNet (Zeiler and Fergus 2013): AlexNet with a 7x7 stride-2 conv1 and, in the notes' version, wider
/// conv3-5. Shapes at 224x224 follow the paper's Figure 3:
/// <code>
/// conv1 7x7/2 pad 1 3->96 [96,110,110], relu1, pool1 3x3/2 pad 1 [96,55,55], norm1
/// conv2 5x5/2 ->256 [256,26,26], relu2, pool2 3x3/2 pad 1 [256,13,13], norm2
/// conv3 3x3 pad 1 ->512, relu3, conv4 ->1024, relu4, conv5 ->512, relu5, pool5 3x3/2 [512,6,6]
/// flatten 18432, fc6 ->4096, relu6, drop6, fc7 ->4096, relu7, drop7, fc8 ->classes
/// </code>
/// 107,627,624 parameters with 1000 classes (62,357,608 with the paper's 384-384-256). fc6's input is sized for
/// the input; the smallest input is 53x53.
/// </summary>
public static class ZfNet
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0,
        ZfNetOptions? options = null)
    {
        ZfNetOptions o = options ?? ZfNetOptions.Default;
        ZooBuilder.RequirePositive(o.WidthScale, "ZFNet width scale", nameof(options));
        if (o.HiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(options), $"ZFNet hidden units must be >= 1; got {o.HiddenUnits}.");
        var b = new ZooBuilder(context, "zfnet", input ?? DefaultInput, classCount, seed);
        int[] c = (o.WideConv345 ? new[] { 96, 256, 512, 1024, 512 } : [96, 256, 384, 384, 256])
            .Select(w => ZooBuilder.Scale(w, o.WidthScale)).ToArray();
        // The paper's contrast normalization, taken as AlexNet's LRN (k 2, n 5, alpha 1e-4 undivided, beta 0.75).
        var norm = new LrnOptions { Size = 5, Alpha = 5e-4f, Beta = 0.75f, Bias = 2f };

        int x = b.Conv("conv1", 0, b.InputChannels, c[0], 7, stride: 2, padding: 1);
        x = b.Relu("relu1", x);
        x = b.MaxPool("pool1", x, 3, 2, padding: 1);
        if (o.Lrn) x = b.Lrn("norm1", x, norm);
        x = b.Conv("conv2", x, c[0], c[1], 5, stride: 2);
        x = b.Relu("relu2", x);
        x = b.MaxPool("pool2", x, 3, 2, padding: 1);
        if (o.Lrn) x = b.Lrn("norm2", x, norm);
        x = b.Conv("conv3", x, c[1], c[2], 3, padding: 1);
        x = b.Relu("relu3", x);
        x = b.Conv("conv4", x, c[2], c[3], 3, padding: 1);
        x = b.Relu("relu4", x);
        x = b.Conv("conv5", x, c[3], c[4], 3, padding: 1);
        x = b.Relu("relu5", x);
        x = b.MaxPool("pool5", x, 3, 2);
        int features = b.FeatureCount(x);
        x = b.Flatten("flatten", x);
        return FullyConnectedHead.Append(b, x, features, o.HiddenUnits, classCount, o.DropoutP);
    }
}
