namespace VisionPlugin.Engine.Losses;

/// <summary>
/// Arg-max predictions and correct-prediction counts for [N, K] scores (logits or probabilities)
/// on the GPU (<c>argmax_rows.comp</c>; ties go to the lowest class index). A count costs one
/// float read back, or none when it is written into a GPU buffer; the arg-max indices can stay on the GPU.
/// </summary>
public static class ClassificationAccuracy
{
    private const string Op = "ClassificationAccuracy";

    /// <summary>How many rows of <paramref name="scores"/> have their maximum at the labelled class (one float read back).</summary>
    public static int CountCorrect(Tensor scores, ClassLabels labels)
    {
        GpuBuffer count = scores.Context.Scratch("accuracy.count", 1);
        CountCorrect(scores, labels, count);
        // A float sum of 0/1 values is exact below 2^24 rows.
        return (int)MathF.Round(ScalarReduction.Read(count));
    }

    /// <summary>Writes how many rows of <paramref name="scores"/> have their maximum at the labelled class into <paramref name="count"/>[0] (a float) on the GPU; nothing is read back.</summary>
    public static void CountCorrect(Tensor scores, ClassLabels labels, GpuBuffer count)
    {
        labels.Validate(scores.Shape, Op);
        if (count.ElementCount < 1) throw new ArgumentException($"{Op} needs one element to hold the count.", nameof(count));
        GpuContext context = scores.Context;
        int n = scores.Shape[0];
        GpuBuffer indices = context.Scratch("accuracy.indices", n);
        GpuBuffer hits = context.Scratch("accuracy.hits", n);
        Dispatch(scores, labels.Buffer, indices, hits);
        ScalarReduction.Sum(context, hits, n, count);
    }

    /// <summary>Writes the arg-max class of every row of <paramref name="scores"/> [N, K] into <paramref name="indices"/> (int32, N elements) on the GPU.</summary>
    public static void ArgMax(Tensor scores, GpuBuffer indices)
    {
        RequireScores(scores.Shape);
        if (indices.ElementCount < scores.Shape[0])
            throw new ArgumentException($"{Op} needs {scores.Shape[0]} index slots for scores {scores.Shape}; the buffer has {indices.ElementCount}.", nameof(indices));
        Dispatch(scores, null, indices, null);
    }

    /// <summary>The arg-max class of every row of <paramref name="scores"/> [N, K], read back.</summary>
    public static int[] ArgMax(Tensor scores)
    {
        RequireScores(scores.Shape);
        GpuBuffer indices = scores.Context.Scratch("accuracy.indices", scores.Shape[0]);
        Dispatch(scores, null, indices, null);
        var result = new int[scores.Shape[0]];
        indices.Download<int>(result);
        return result;
    }

    private static void Dispatch(Tensor scores, GpuBuffer? labels, GpuBuffer indices, GpuBuffer? hits)
    {
        int n = scores.Shape[0], k = scores.Shape[1];
        scores.Context.Programs.Get("argmax_rows.comp")
            .Set("N", n).Set("K", k).Set("hasLabels", labels is null ? 0 : 1)
            .Bind(0, scores).Bind(1, labels ?? indices).Bind(2, indices).Bind(3, hits ?? indices)
            .DispatchLinear(n);
    }

    private static void RequireScores(TensorShape shape)
    {
        if (shape.Rank != 2 || shape[1] < 1)
            throw new ArgumentException($"{Op} expects [N, K] scores with K >= 1; got {shape}.", "scores");
    }
}
