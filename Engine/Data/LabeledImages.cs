namespace VisionPlugin.Engine.Data;

/// <summary>
/// An in-memory image classification set: images as float32 NCHW (one [C,H,W] block per sample)
/// and integer class labels in [0, ClassCount).
/// </summary>
public sealed class LabeledImages
{
    public LabeledImages(float[] pixels, int[] labels, TensorShape sampleShape, IReadOnlyList<string> classNames)
    {
        if (sampleShape.Rank != 3) throw new ArgumentException($"Sample shape must be [C,H,W]; got {sampleShape}.", nameof(sampleShape));
        if ((long)labels.Length * sampleShape.ElementCount != pixels.Length)
            throw new ArgumentException($"{labels.Length} labels of shape {sampleShape} need {(long)labels.Length * sampleShape.ElementCount} pixels; got {pixels.Length}.", nameof(pixels));
        foreach (int label in labels)
            if (label < 0 || label >= classNames.Count)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} is outside [0, {classNames.Count}).");
        Pixels = pixels;
        Labels = labels;
        SampleShape = sampleShape;
        ClassNames = classNames;
    }

    public float[] Pixels { get; }
    public int[] Labels { get; }
    /// <summary>[C, H, W] of one sample.</summary>
    public TensorShape SampleShape { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Labels.Length;
    public int ClassCount => ClassNames.Count;

    /// <summary>The pixels of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index) => Pixels.AsSpan(index * SampleShape.ElementCount, SampleShape.ElementCount);

    /// <summary>The first <paramref name="count"/> samples (or all, if fewer).</summary>
    public LabeledImages Take(int count)
    {
        count = Math.Min(count, Count);
        return new LabeledImages(Pixels[..(count * SampleShape.ElementCount)], Labels[..count], SampleShape, ClassNames);
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public LabeledImages Select(IReadOnlyList<int> indices)
    {
        int size = SampleShape.ElementCount;
        var pixels = new float[indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Sample(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[indices[i]];
        }
        return new LabeledImages(pixels, labels, SampleShape, ClassNames);
    }
}
