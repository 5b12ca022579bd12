using System.Text.Json;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Keras Dense, BatchNormalization, Dropout, Flatten, Reshape and the merges (Add, Subtract, Multiply, Concatenate)
/// as engine layers. Keras axes count the batch and put channels last; for an image tensor Keras axis 3 (or -1) is
/// the engine's axis 1, Keras 1 (height) is 2 and Keras 2 (width) is 3.
/// </summary>
internal static class KerasCoreLayers
{
    /// <summary>Dense: kernel [in,units] (rows permuted when the input was flattened from a map), bias [units].</summary>
    public static KerasTensor Dense(ImportContext context, KerasConfig config, KerasTensor x)
    {
        if (x.Rank != 1) throw config.Error($"expects a feature vector (flatten or pool first); got {x.KerasShape}.");
        int units = config.Int("units");
        if (units < 1) throw config.Error($"config.units must be at least 1; got {units}.");
        bool useBias = config.Bool("use_bias", true);
        int inFeatures = x.Channels;
        ReadOnlySpan<float> kernel = context.Weight(config, "kernel", inFeatures, units);
        var linear = new LinearLayer(context.Gpu, config.Layer.Name, inFeatures, units, useBias, ImportContext.Unset);
        KerasTensor y = context.Add(config, linear, x);
        ImportContext.Set(linear.Weight, KerasWeightLayout.DenseKernel(kernel, inFeatures, units, x.FlattenedFrom));
        if (useBias) ImportContext.Set(linear.Bias!, context.Weight(config, "bias", units));
        return KerasConvolutions.FusedActivation(context, config, y);
    }

    /// <summary>
    /// BatchNormalization over the channel axis with the moving statistics as running statistics: gamma (ones when
    /// scale is false), beta (zeros when center is false), moving_mean, moving_variance; epsilon as given (Keras
    /// default 1e-3); Keras momentum m becomes the engine's 1 - m.
    /// </summary>
    public static KerasTensor BatchNormalization(ImportContext context, KerasConfig config, KerasTensor x)
    {
        RequireKerasOrder(config, x);
        int axis = BatchNormAxis(config);
        int kerasRank = x.Rank + 1;
        if (axis != -1 && axis != kerasRank - 1)
            throw config.Error($"normalizes axis {axis} of a rank-{kerasRank} tensor; only the channel (last) axis is supported.");
        int channels = x.Channels;
        double momentum = config.Number("momentum", 0.99);
        var options = new BatchNormOptions { Epsilon = (float)config.Number("epsilon", 1e-3), Momentum = (float)(1 - momentum) };
        try { options.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw config.Error(e.Message); }

        bool scale = config.Bool("scale", true), center = config.Bool("center", true);
        float[]? gamma = scale ? context.Weight(config, "gamma", channels).ToArray() : null;
        float[]? beta = center ? context.Weight(config, "beta", channels).ToArray() : null;
        float[] mean = context.Weight(config, "moving_mean", channels).ToArray();
        float[] variance = context.Weight(config, "moving_variance", channels).ToArray();

        BatchNormLayer bn = x.Rank == 3
            ? new BatchNorm2dLayer(context.Gpu, config.Layer.Name, channels, options)
            : new BatchNorm1dLayer(context.Gpu, config.Layer.Name, channels, options);
        KerasTensor y = context.Add(config, bn, x);
        if (gamma is not null) ImportContext.Set(bn.Scale, gamma);
        if (beta is not null) ImportContext.Set(bn.Shift, beta);
        bn.RunningMean.Upload(mean);
        bn.RunningVariance.Upload(variance);
        return y;
    }

    /// <summary>Dropout: identity in inference; keeps a flattened vector's order.</summary>
    public static KerasTensor Dropout(ImportContext context, KerasConfig config, KerasTensor x)
    {
        double rate = config.Number("rate");
        if (!(rate >= 0 && rate < 1)) throw config.Error($"config.rate must be in [0, 1); got {rate}.");
        return context.Add(config, new DropoutLayer(config.Layer.Name, (float)rate), x) with { FlattenedFrom = x.FlattenedFrom };
    }

    /// <summary>Flatten: a map [H,W,C] becomes a vector (Keras order h,w,c recorded, see <see cref="KerasTensor"/>); a vector stays.</summary>
    public static KerasTensor Flatten(ImportContext context, KerasConfig config, KerasTensor x)
    {
        config.RequireChannelsLast();
        if (x.Rank == 1) return x;
        if (x.Rank != 3) throw config.Error($"flattens image tensors or vectors; got {x.KerasShape}.");
        KerasTensor y = context.Add(config, new FlattenLayer(config.Layer.Name), x);
        return x.InKerasOrder ? y : y with { FlattenedFrom = (x.Shape[1], x.Shape[2], x.Shape[0]) };
    }

    /// <summary>
    /// Reshape to target_shape (Keras order, one entry may be -1). Exact when source and target element orders agree
    /// with Keras' (vectors, 1x1 or single-channel maps), or when it undoes a Flatten of the same map; else refused.
    /// </summary>
    public static KerasTensor Reshape(ImportContext context, KerasConfig config, KerasTensor x)
    {
        int[] target = config.Shape("target_shape");
        if (target.Length is < 1 or > 3 || target.Count(d => d == -1) > 1 || target.Any(d => d < -1))
            throw config.Error($"target_shape [{string.Join(",", target)}] is not supported (1 to 3 dimensions, at most one -1).");
        long known = target.Where(d => d != -1).Aggregate(1L, (a, d) => a * d);
        int total = x.Shape.ElementCount;
        if (target.Contains(-1))
        {
            if (known == 0 || total % known != 0) throw config.Error($"cannot reshape {x.KerasShape} ({total} values) to [{string.Join(",", target)}].");
            target[Array.IndexOf(target, -1)] = (int)(total / known);
        }
        else if (known != total) throw config.Error($"cannot reshape {x.KerasShape} ({total} values) to [{string.Join(",", target)}].");

        if (target.Length == 1) return Flatten(context, config, x);
        // Engine order of the Keras target: [H,W,C] -> [C,H,W].
        int[] engine = target.Length == 3 ? [target[2], target[0], target[1]] : target;
        bool targetInKerasOrder = target.Length != 3 || target[2] == 1 || target[0] * target[1] == 1;
        bool undoesFlatten = x.FlattenedFrom is { } map && target.Length == 3 && (map.H, map.W, map.C) == (target[0], target[1], target[2]);
        if (!(x.InKerasOrder && targetInKerasOrder) && !undoesFlatten)
            throw config.Error($"reshaping {x.KerasShape} to [{string.Join(",", target)}] reorders elements between Keras' channels-last and the engine's channels-first layout; not supported.");
        return context.Add(config, new ReshapeLayer(config.Layer.Name, engine), x);
    }

    /// <summary>Add (any number of same-shape inputs), Subtract and Multiply (two).</summary>
    public static KerasTensor Merge(ImportContext context, KerasConfig config, KerasTensor[] inputs)
    {
        if (inputs.Length < 2) throw config.Error($"needs at least two inputs; got {inputs.Length}.");
        if (inputs.Any(t => t.Shape != inputs[0].Shape || t.FlattenedFrom != inputs[0].FlattenedFrom))
            throw config.Error($"needs inputs of one shape; got {string.Join(", ", inputs.Select(t => t.KerasShape))}.");
        string name = config.Layer.Name;
        Layer layer = config.Layer.ClassName switch
        {
            "Add" => new AddLayer(name),
            "Subtract" when inputs.Length == 2 => new SubLayer(name),
            "Multiply" when inputs.Length == 2 => new MulLayer(name),
            _ => throw config.Error($"takes exactly two inputs here; got {inputs.Length}."),
        };
        return context.Add(config, layer, inputs) with { FlattenedFrom = inputs[0].FlattenedFrom };
    }

    /// <summary>Concatenate along a Keras axis (default -1, channels).</summary>
    public static KerasTensor Concatenate(ImportContext context, KerasConfig config, KerasTensor[] inputs)
    {
        if (inputs.Length < 2) throw config.Error($"needs at least two inputs; got {inputs.Length}.");
        foreach (KerasTensor t in inputs) RequireKerasOrder(config, t);
        int rank = inputs[0].Rank;
        int axis = config.Int("axis", -1);
        int kerasRank = rank + 1;
        if (axis < 0) axis += kerasRank;
        if (axis < 1 || axis >= kerasRank) throw config.Error($"config.axis {config.Int("axis", -1)} is not an axis of a rank-{kerasRank} tensor (the batch axis cannot be joined).");
        int engineAxis = rank == 3 ? axis switch { 3 => 1, 1 => 2, _ => 3 } : axis;
        return context.Add(config, new ConcatLayer(config.Layer.Name, engineAxis), inputs);
    }

    /// <summary>Refuses a vector whose features are in the engine's map order, not Keras'.</summary>
    public static void RequireKerasOrder(KerasConfig config, KerasTensor x)
    {
        if (x.FlattenedFrom is { } map)
            throw config.Error($"reads features flattened from a {map.H}x{map.W}x{map.C} map; Keras orders them (h,w,c) and the engine (c,h,w), " +
                "which only Dense, Dropout, activations and merges of equally flattened vectors can absorb.");
    }

    /// <summary>BatchNormalization's axis: an integer, or a one-element list (later Keras versions).</summary>
    private static int BatchNormAxis(KerasConfig config)
    {
        if (config.Raw("axis") is { ValueKind: JsonValueKind.Array } list)
        {
            int[] axes = config.Ints("axis", list.GetArrayLength());
            return axes.Length == 1 ? axes[0] : throw config.Error($"normalizes several axes [{string.Join(",", axes)}]; not supported.");
        }
        return config.Int("axis", -1);
    }
}
