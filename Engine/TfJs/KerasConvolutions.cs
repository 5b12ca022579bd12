using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Keras Conv2D, DepthwiseConv2D and SeparableConv2D as engine convolutions (NCHW, weight [K, C/groups, KH, KW]).
/// Padding "valid" is none; "same" is TensorFlow's SAME for the input size at hand (output = ceil(input / stride),
/// an odd total puts the extra row/column at the bottom/right; <see cref="Padding2d.Same"/>). A fused
/// <c>activation</c> becomes a following layer named <c>{name}.{activation}</c>.
/// </summary>
internal static class KerasConvolutions
{
    /// <summary>Conv2D: kernel [KH,KW,C/groups,K], bias [K].</summary>
    public static KerasTensor Conv2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        int channels = RequireMap(config, x);
        int filters = config.Int("filters");
        int groups = config.Int("groups", 1);
        if (filters < 1 || groups < 1 || channels % groups != 0 || filters % groups != 0)
            throw config.Error($"filters {filters} and groups {groups} do not fit {channels} input channels.");
        Conv2dOptions options = Options(config, x, out int[] kernel, groups);
        bool useBias = config.Bool("use_bias", true);
        ReadOnlySpan<float> tfKernel = context.Weight(config, "kernel", kernel[0], kernel[1], channels / groups, filters);
        var conv = new Conv2dLayer(context.Gpu, config.Layer.Name, channels, filters, kernel[0], kernel[1], options, useBias, ImportContext.Unset);
        KerasTensor y = context.Add(config, conv, x);
        ImportContext.Set(conv.Weight, KerasWeightLayout.ConvKernel(tfKernel, kernel[0], kernel[1], channels / groups, filters));
        if (useBias) ImportContext.Set(conv.Bias!, context.Weight(config, "bias", filters));
        return FusedActivation(context, config, y);
    }

    /// <summary>DepthwiseConv2D: depthwise_kernel [KH,KW,C,M] as a conv with groups = C and C*M outputs; bias [C*M].</summary>
    public static KerasTensor DepthwiseConv2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        int channels = RequireMap(config, x);
        int multiplier = config.Int("depth_multiplier", 1);
        if (multiplier < 1) throw config.Error($"config.depth_multiplier must be at least 1; got {multiplier}.");
        Conv2dOptions options = Options(config, x, out int[] kernel, channels);
        bool useBias = config.Bool("use_bias", true);
        ReadOnlySpan<float> tfKernel = context.Weight(config, "depthwise_kernel", kernel[0], kernel[1], channels, multiplier);
        var conv = new Conv2dLayer(context.Gpu, config.Layer.Name, channels, channels * multiplier, kernel[0], kernel[1], options, useBias, ImportContext.Unset);
        KerasTensor y = context.Add(config, conv, x);
        ImportContext.Set(conv.Weight, KerasWeightLayout.DepthwiseKernel(tfKernel, kernel[0], kernel[1], channels, multiplier));
        if (useBias) ImportContext.Set(conv.Bias!, context.Weight(config, "bias", channels * multiplier));
        return FusedActivation(context, config, y);
    }

    /// <summary>
    /// SeparableConv2D: a depthwise conv (<c>{name}.depthwise</c>, depthwise_kernel [KH,KW,C,M], no bias) then a
    /// 1x1 conv (<c>{name}</c>, pointwise_kernel [1,1,C*M,K], bias [K]).
    /// </summary>
    public static KerasTensor SeparableConv2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        int channels = RequireMap(config, x);
        int multiplier = config.Int("depth_multiplier", 1);
        int filters = config.Int("filters");
        if (multiplier < 1 || filters < 1) throw config.Error($"depth_multiplier {multiplier} and filters {filters} must be at least 1.");
        Conv2dOptions options = Options(config, x, out int[] kernel, channels);
        int hidden = channels * multiplier;
        ReadOnlySpan<float> tfDepthwise = context.Weight(config, "depthwise_kernel", kernel[0], kernel[1], channels, multiplier);
        ReadOnlySpan<float> tfPointwise = context.Weight(config, "pointwise_kernel", 1, 1, hidden, filters);
        var depthwise = new Conv2dLayer(context.Gpu, config.Layer.Name + ".depthwise", channels, hidden, kernel[0], kernel[1], options, bias: false, ImportContext.Unset);
        KerasTensor d = context.Add(config, depthwise, x);
        ImportContext.Set(depthwise.Weight, KerasWeightLayout.DepthwiseKernel(tfDepthwise, kernel[0], kernel[1], channels, multiplier));

        bool useBias = config.Bool("use_bias", true);
        var pointwise = new Conv2dLayer(context.Gpu, config.Layer.Name, hidden, filters, 1, 1, Conv2dOptions.Default, useBias, ImportContext.Unset);
        KerasTensor y = context.Add(config, pointwise, d);
        ImportContext.Set(pointwise.Weight, KerasWeightLayout.ConvKernel(tfPointwise, 1, 1, hidden, filters));
        if (useBias) ImportContext.Set(pointwise.Bias!, context.Weight(config, "bias", filters));
        return FusedActivation(context, config, y);
    }

    /// <summary>The fused <c>activation</c> of a conv or dense layer, as a layer named <c>{name}.{activation}</c>.</summary>
    public static KerasTensor FusedActivation(ImportContext context, KerasConfig config, KerasTensor y)
    {
        string activation = config.String("activation", "linear");
        return context.Activation(config, y, activation, $"{config.Layer.Name}.{activation}");
    }

    /// <summary>Input channels of a channels-last map input; refuses vectors.</summary>
    public static int RequireMap(KerasConfig config, KerasTensor x)
    {
        config.RequireChannelsLast();
        if (x.Rank != 3) throw config.Error($"expects an image tensor [height,width,channels]; got {x.KerasShape}.");
        return x.Channels;
    }

    /// <summary>Stride, dilation, padding (valid or TF SAME for this input) and groups.</summary>
    private static Conv2dOptions Options(KerasConfig config, KerasTensor x, out int[] kernel, int groups)
    {
        kernel = config.PositiveInts("kernel_size", 2);
        int[] strides = config.PositiveInts("strides", 2, [1, 1]);
        int[] dilation = config.PositiveInts("dilation_rate", 2, [1, 1]);
        if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1))
            throw config.Error($"strides [{string.Join(",", strides)}] with dilation_rate [{string.Join(",", dilation)}] is not supported by Keras either.");
        Padding2d padding = config.SamePadding()
            ? Padding2d.Same(x.Shape[1], x.Shape[2], kernel[0], kernel[1], strides[0], strides[1], dilation[0], dilation[1])
            : Padding2d.None;
        return new Conv2dOptions
        {
            StrideH = strides[0], StrideW = strides[1],
            DilationH = dilation[0], DilationW = dilation[1],
            Padding = padding, Groups = groups,
        };
    }
}
