namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// The per-sample engine shape of a Keras InputLayer: batch_input_shape (Keras 2) or batch_shape (Keras 3)
/// [null, H, W, C] gives [C,H,W]; [null, F] gives [F]. Unknown (null) dimensions come from the import options.
/// </summary>
internal static class KerasInput
{
    /// <summary>Largest per-sample input accepted (elements), far above any image model's.</summary>
    public const int MaxElements = 1 << 26;

    /// <param name="overrideShape">Keras-order (H, W, C) or (F) sizes for unknown dimensions; null = none.</param>
    public static TensorShape Shape(KerasConfig config, IReadOnlyList<int>? overrideShape)
    {
        config.RequireChannelsLast();
        int[] batchShape = config.Has("batch_input_shape") ? config.Shape("batch_input_shape") : config.Shape("batch_shape");
        if (batchShape.Length is not (2 or 4))
            throw config.Error($"input shape [{Describe(batchShape)}] is not supported; expected [batch, height, width, channels] or [batch, features].");
        int[] sample = batchShape[1..];
        if (overrideShape is not null)
        {
            if (overrideShape.Count != sample.Length)
                throw config.Error($"the import's input shape [{string.Join(",", overrideShape)}] does not match input [{Describe(sample)}] (Keras order).");
            for (int i = 0; i < sample.Length; i++)
                if (sample[i] != -1 && sample[i] != overrideShape[i])
                    throw config.Error($"the import's input shape [{string.Join(",", overrideShape)}] contradicts the model's [{Describe(sample)}].");
            sample = overrideShape.ToArray();
        }
        if (sample.Contains(-1))
            throw config.Error($"input shape [{Describe(sample)}] has unknown dimensions; give TfJsImportOptions.InputShape (Keras order, e.g. [224,224,3]).");
        long elements = 1;
        foreach (int d in sample)
        {
            if (d < 1) throw config.Error($"input shape [{Describe(sample)}] has a dimension below 1.");
            elements *= d;
            if (elements > MaxElements) throw config.Error($"input shape [{Describe(sample)}] has more than {MaxElements} values per sample; refusing.");
        }
        return sample.Length == 3 ? new TensorShape(sample[2], sample[0], sample[1]) : new TensorShape(sample[0]);
    }

    private static string Describe(int[] dims) => string.Join(",", dims.Select(d => d == -1 ? "null" : d.ToString()));
}
