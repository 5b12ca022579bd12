using System.Text.Json;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Keras ZeroPadding2D, Cropping2D, AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D and GlobalMaxPooling2D
/// as engine layers on NCHW maps.
/// </summary>
internal static class KerasSpatialLayers
{
    /// <summary>
    /// ZeroPadding2D: padding p (all sides), [h, w] (symmetric) or [[top, bottom], [left, right]] (asymmetric, e.g.
    /// MobileNetV2's [[0,1],[0,1]] before its stride-2 convolutions).
    /// </summary>
    public static KerasTensor ZeroPadding2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        KerasConvolutions.RequireMap(config, x);
        Padding2d padding = Sides(config, "padding");
        return context.Add(config, new Pad2dLayer(config.Layer.Name, padding), x);
    }

    /// <summary>Cropping2D: cropping in the same three forms as ZeroPadding2D's padding (a negative pad).</summary>
    public static KerasTensor Cropping2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        KerasConvolutions.RequireMap(config, x);
        Padding2d crop = Sides(config, "cropping");
        if (crop.Top + crop.Bottom >= x.Shape[1] || crop.Left + crop.Right >= x.Shape[2])
            throw config.Error($"crops {crop} from a {x.KerasShape} map, leaving nothing.");
        return context.Add(config, new Pad2dLayer(config.Layer.Name, new Padding2d(-crop.Top, -crop.Left, -crop.Bottom, -crop.Right)), x);
    }

    /// <summary>
    /// AveragePooling2D / MaxPooling2D: pool_size (default 2), strides (default pool_size), padding valid or TF SAME.
    /// TensorFlow's SAME average divides by the taps inside the image only (count excludes padding).
    /// </summary>
    public static KerasTensor Pooling2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        KerasConvolutions.RequireMap(config, x);
        int[] pool = config.PositiveInts("pool_size", 2, [2, 2]);
        int[] strides = config.Raw("strides") is null ? pool : config.PositiveInts("strides", 2);
        Padding2d padding = config.SamePadding()
            ? Padding2d.Same(x.Shape[1], x.Shape[2], pool[0], pool[1], strides[0], strides[1])
            : Padding2d.None;
        var options = new Pool2dOptions
        {
            KernelH = pool[0], KernelW = pool[1], StrideH = strides[0], StrideW = strides[1],
            Padding = padding, CountIncludePad = false,
        };
        Layer layer = config.Layer.ClassName == "MaxPooling2D"
            ? new MaxPool2dLayer(config.Layer.Name, options)
            : new AvgPool2dLayer(config.Layer.Name, options);
        return context.Add(config, layer, x);
    }

    /// <summary>
    /// GlobalAveragePooling2D / GlobalMaxPooling2D: [H,W,C] -> [C] (a pool <c>{name}.pool</c> then the flatten
    /// <c>{name}</c>), or [1,1,C] with keepdims.
    /// </summary>
    public static KerasTensor GlobalPooling2D(ImportContext context, KerasConfig config, KerasTensor x)
    {
        KerasConvolutions.RequireMap(config, x);
        bool keepDims = config.Bool("keepdims", false);
        string name = config.Layer.Name;
        string poolName = keepDims ? name : name + ".pool";
        Layer pool = config.Layer.ClassName == "GlobalMaxPooling2D" ? new GlobalMaxPoolLayer(poolName) : new GlobalAvgPoolLayer(poolName);
        KerasTensor y = context.Add(config, pool, x);
        return keepDims ? y : context.Add(config, new FlattenLayer(name), y);
    }

    /// <summary>The three Keras forms of per-side amounts (each 0 or more).</summary>
    private static Padding2d Sides(KerasConfig config, string field)
    {
        JsonElement value = config.Raw(field) ?? throw config.Error($"config has no '{field}'.");
        int top, bottom, left, right;
        if (value.ValueKind == JsonValueKind.Number)
        {
            top = bottom = left = right = config.Int(field);
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.Number)
        {
            int[] hw = config.Ints(field, 2);
            (top, bottom, left, right) = (hw[0], hw[0], hw[1], hw[1]);
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 &&
                 value[0].ValueKind == JsonValueKind.Array && value[0].GetArrayLength() == 2 &&
                 value[1].ValueKind == JsonValueKind.Array && value[1].GetArrayLength() == 2 &&
                 value[0].EnumerateArray().Concat(value[1].EnumerateArray()).All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)))
        {
            (top, bottom) = (value[0][0].GetInt32(), value[0][1].GetInt32());
            (left, right) = (value[1][0].GetInt32(), value[1][1].GetInt32());
        }
        else
        {
            throw config.Error($"config.{field} must be n, [h, w] or [[top, bottom], [left, right]]; got {value.GetRawText()}.");
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw config.Error($"config.{field} must not be negative; got {value.GetRawText()}.");
        const int limit = 1 << 16;
        if (top > limit || bottom > limit || left > limit || right > limit)
            throw config.Error($"config.{field} {value.GetRawText()} is larger than {limit}; refusing.");
        return new Padding2d(top, left, bottom, right);
    }
}
