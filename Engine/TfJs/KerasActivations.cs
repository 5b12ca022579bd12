using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Keras activation layers: Activation (by name, see <see cref="ImportContext.ActivationNames"/>), ReLU (max_value,
/// negative_slope), LeakyReLU (alpha) and Softmax (axis). All keep a flattened vector's feature order.
/// </summary>
internal static class KerasActivations
{
    /// <summary>Activation: "linear" adds no layer.</summary>
    public static KerasTensor Activation(ImportContext context, KerasConfig config, KerasTensor x) =>
        context.Activation(config, x, config.String("activation"), config.Layer.Name);

    /// <summary>
    /// ReLU: y = min(max(x, 0), max_value): no max_value is ReLU, 6 is ReLU6, another is Clip(0, max_value);
    /// a negative_slope without max_value is a leaky ReLU. A non-zero threshold is refused.
    /// </summary>
    public static KerasTensor ReLU(ImportContext context, KerasConfig config, KerasTensor x)
    {
        double? maxValue = config.OptionalNumber("max_value");
        double slope = config.Number("negative_slope", 0);
        double threshold = config.Number("threshold", 0);
        if (threshold != 0) throw config.Error($"config.threshold {threshold} is not supported (only 0).");
        if (maxValue is < 0) throw config.Error($"config.max_value must be at least 0; got {maxValue}.");
        ActivationOptions options = (maxValue, slope) switch
        {
            (null, 0) => ActivationOptions.Relu(),
            (null, _) => ActivationOptions.LeakyRelu((float)slope),
            (6, 0) => ActivationOptions.Relu6(),
            ({ } max, 0) => ActivationOptions.Clip(0f, (float)max),
            _ => throw config.Error($"a negative_slope ({slope}) together with max_value ({maxValue}) is not supported."),
        };
        return Add(context, config, new ActivationLayer(config.Layer.Name, options), x);
    }

    /// <summary>LeakyReLU: alpha (Keras 2, default 0.3) or negative_slope (Keras 3).</summary>
    public static KerasTensor LeakyReLU(ImportContext context, KerasConfig config, KerasTensor x)
    {
        double alpha = config.Has("alpha") ? config.Number("alpha") : config.Number("negative_slope", 0.3);
        return Add(context, config, new ActivationLayer(config.Layer.Name, ActivationOptions.LeakyRelu((float)alpha)), x);
    }

    /// <summary>Softmax over Keras axis -1 (channels of a map, features of a vector).</summary>
    public static KerasTensor Softmax(ImportContext context, KerasConfig config, KerasTensor x)
    {
        int kerasRank = x.Rank + 1;
        int axis = config.Int("axis", -1);
        if (axis != -1 && axis != kerasRank - 1)
            throw config.Error($"config.axis {axis} is not supported; only the last (channel) axis.");
        return Add(context, config, new SoftmaxLayer(config.Layer.Name, axis: 1), x);
    }

    private static KerasTensor Add(ImportContext context, KerasConfig config, Layer layer, KerasTensor x) =>
        context.Add(config, layer, x) with { FlattenedFrom = x.FlattenedFrom };
}
