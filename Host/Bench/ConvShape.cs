using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>One convolution layer to benchmark: input shape, weight shape and options.</summary>
internal sealed record ConvShape(string Network, string Layer, TensorShape Input, TensorShape Weight, Conv2dOptions Options)
{
    public long MultiplyAdds => Conv2d.MultiplyAdds(Input, Weight, Options);

    private static ConvShape Make(string net, string layer, int c, int hw, int k, int kernel, int stride, int groups = 1) =>
        new(net, layer, new TensorShape(1, c, hw, hw), new TensorShape(k, c / groups, kernel, kernel),
            stride == 2 && kernel == 3 && net == "MobileNetV2"
                // Keras "same" with stride 2 on an even input pads bottom/right only.
                ? new Conv2dOptions { StrideH = 2, StrideW = 2, Groups = groups, Padding = new Padding2d(0, 0, 1, 1) }
                : Conv2dOptions.Create(stride, kernel / 2, 1, groups));

    /// <summary>Representative layers of MobileNetV2-224 and ResNet-18-224 (batch 1).</summary>
    public static IReadOnlyList<ConvShape> Standard { get; } =
    [
        Make("MobileNetV2", "stem 3x3/2 3->32 @224", 3, 224, 32, 3, 2),
        Make("MobileNetV2", "depthwise 3x3 32 @112", 32, 112, 32, 3, 1, groups: 32),
        Make("MobileNetV2", "pointwise 1x1 32->16 @112", 32, 112, 16, 1, 1),
        Make("MobileNetV2", "expand 1x1 24->144 @56", 24, 56, 144, 1, 1),
        Make("MobileNetV2", "depthwise 3x3/2 144 @56", 144, 56, 144, 3, 2, groups: 144),
        Make("MobileNetV2", "expand 1x1 96->576 @14", 96, 14, 576, 1, 1),
        Make("MobileNetV2", "head 1x1 320->1280 @7", 320, 7, 1280, 1, 1),
        Make("ResNet-18", "stem 7x7/2 3->64 @224", 3, 224, 64, 7, 2),
        Make("ResNet-18", "3x3 64->64 @56", 64, 56, 64, 3, 1),
        Make("ResNet-18", "3x3/2 64->128 @56", 64, 56, 128, 3, 2),
        Make("ResNet-18", "3x3 128->128 @28", 128, 28, 128, 3, 1),
        Make("ResNet-18", "3x3 256->256 @14", 256, 14, 256, 3, 1),
        Make("ResNet-18", "3x3 512->512 @7", 512, 7, 512, 3, 1),
    ];
}
