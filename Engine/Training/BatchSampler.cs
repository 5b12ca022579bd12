using VisionPlugin.Engine.Data;

namespace VisionPlugin.Engine.Training;

/// <summary>
/// Cuts a data set into mini-batches. The order of epoch e is a Fisher-Yates shuffle seeded by
/// (seed, e), so a run resumed at epoch e sees exactly the batches an uninterrupted run would.
/// The last batch may be smaller; <see cref="Fill"/> copies one batch into reusable host arrays.
/// </summary>
public sealed class BatchSampler
{
    private readonly LabeledImages _data;

    public BatchSampler(LabeledImages data, int batchSize, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
    }

    public int BatchSize { get; }
    public bool Shuffle { get; }
    public int Seed { get; }
    public int BatchCount => (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The sample order of <paramref name="epoch"/>.</summary>
    public int[] Order(int epoch)
    {
        int[] order = Enumerable.Range(0, _data.Count).ToArray();
        // Not HashCode.Combine: it is randomized per process, and resumed runs must reproduce the order.
        if (Shuffle) new Random(unchecked(Seed * 1_000_003 + epoch)).Shuffle(order);
        return order;
    }

    /// <summary>
    /// Copies batch <paramref name="batch"/> of <paramref name="order"/> into <paramref name="pixels"/>
    /// (NCHW) and <paramref name="labels"/>; returns how many samples it holds.
    /// </summary>
    public int Fill(int[] order, int batch, float[] pixels, int[] labels)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, _data.Count - start);
        int size = _data.SampleShape.ElementCount;
        for (int i = 0; i < count; i++)
        {
            int sample = order[start + i];
            _data.Sample(sample).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = _data.Labels[sample];
        }
        return count;
    }
}
