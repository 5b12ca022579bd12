using VisionPlugin.Engine.Data;

namespace VisionPlugin.Engine.Training;

/// <summary>Seeded, stratified train/validation splits and k-fold partitions of a labelled set.</summary>
public static class DataSplit
{
    /// <summary>
    /// Holds out <paramref name="fraction"/> of every class (at least one sample of each class with
    /// two or more samples) for validation, chosen by a shuffle seeded with <paramref name="seed"/>.
    /// </summary>
    public static (LabeledImages Train, LabeledImages Validation) Holdout(LabeledImages data, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Validation fraction must be in (0, 1); got {fraction}.");
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => data.Labels[i]).OrderBy(g => g.Key))
        {
            int[] members = group.ToArray();
            random.Shuffle(members);
            int held = members.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(members.Length * fraction));
            validation.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        train.Sort();
        validation.Sort();
        return (data.Select(train), data.Select(validation));
    }
}
