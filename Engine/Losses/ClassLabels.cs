namespace VisionPlugin.Engine.Losses;

/// <summary>
/// One integer class index per sample of a batch: an int32 GPU buffer the loss and accuracy
/// kernels read, plus a CPU copy so every label is checked against the class count before a kernel
/// runs (a label outside [0, K) raises <see cref="ArgumentOutOfRangeException"/> naming its index
/// and value). Owns its buffer; <see cref="Set"/> re-uploads the next batch without allocating.
/// </summary>
public sealed class ClassLabels : IDisposable
{
    private readonly int[] _values;

    public ClassLabels(GpuContext context, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(context);
        _values = labels.ToArray();
        Buffer = new GpuBuffer(context, _values.Length);
        Buffer.Upload<int>(_values);
    }

    /// <summary>Number of samples.</summary>
    public int Count => _values.Length;
    /// <summary>The labels as int32 on the GPU.</summary>
    public GpuBuffer Buffer { get; }
    /// <summary>The CPU copy of the labels.</summary>
    public ReadOnlySpan<int> Values => _values;

    /// <summary>Replaces the labels with a batch of the same size.</summary>
    public void Set(ReadOnlySpan<int> labels)
    {
        if (labels.Length != _values.Length)
            throw new ArgumentException($"ClassLabels holds {_values.Length} labels; got {labels.Length}.", nameof(labels));
        labels.CopyTo(_values);
        Buffer.Upload<int>(_values);
    }

    /// <summary>
    /// Checks there is one label per row of <paramref name="scores"/> ([N, K]) and each lies in [0, K).
    /// </summary>
    /// <exception cref="ArgumentException">The count differs from N; the message names both.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, K); the message names its index and value.</exception>
    public void Validate(TensorShape scores, string op)
    {
        if (scores.Rank != 2)
            throw new ArgumentException($"{op} expects [N, K] scores; got {scores}.", nameof(scores));
        if (Count != scores[0])
            throw new ArgumentException($"{op} needs one label per row of {scores}; got {Count} labels.", "labels");
        int classes = scores[1];
        for (int i = 0; i < _values.Length; i++)
            if (_values[i] < 0 || _values[i] >= classes)
                throw new ArgumentOutOfRangeException("labels", _values[i],
                    $"{op}: label at index {i} is {_values[i]}; classes are 0..{classes - 1} for scores {scores}.");
    }

    public void Dispose() => Buffer.Dispose();

    public override string ToString() => $"ClassLabels[{Count}]";
}
