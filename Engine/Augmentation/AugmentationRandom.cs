namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// Where augmentation randomness comes from: the counter hash of <see cref="CounterRandom"/> (mirrored in
/// <c>common.glsl</c>), keyed so that a pipeline's draws depend only on (seed, step, stage, sample):
/// <code>
///   stageSeed  = Combine(Combine(Combine(seed, low32(step)), high32(step)), stage)
///   sampleSeed = Combine(stageSeed, sample)
///   k-th CPU draw of a sample = CounterRandom.Uniform(sampleSeed, k)          (k = 0, 1, 2, ...)
///   GPU per-pixel draws       = random_uniform / random_normal(stageSeed, element or node index)
/// </code>
/// A stage is the transform's position in its pipeline, so appending transforms never changes the draws
/// of earlier ones, and a batch's sample n gets the same parameters whatever the batch size.
/// </summary>
public static class AugmentationRandom
{
    /// <summary>Mixes two words into one: PCG hash of a boost-style hash_combine (order matters).</summary>
    public static uint Combine(uint a, uint b) =>
        CounterRandom.PcgHash(a ^ unchecked(CounterRandom.PcgHash(b) + 0x9E3779B9u + (a << 6) + (a >> 2)));

    /// <summary>The stream of one stage of one pipeline step.</summary>
    public static uint StageSeed(uint seed, long step, int stage) =>
        Combine(Combine(Combine(seed, unchecked((uint)step)), unchecked((uint)(step >> 32))), unchecked((uint)stage));

    /// <summary>The CPU draws of one sample within a stage.</summary>
    public static SampleDraws ForSample(uint stageSeed, int sample) => new(Combine(stageSeed, unchecked((uint)sample)));
}

/// <summary>
/// A sequence of random numbers for one sample of one stage: draw k is <c>CounterRandom.Uniform(seed, k)</c>.
/// A mutable cursor (pass it by <c>ref</c>); the same seed always replays the same sequence.
/// </summary>
public struct SampleDraws(uint seed)
{
    private uint _next;

    /// <summary>The sample's stream.</summary>
    public readonly uint Seed => seed;

    /// <summary>Draws taken so far.</summary>
    public readonly uint Count => _next;

    /// <summary>Uniform in [0, 1) (24 random bits).</summary>
    public double Uniform() => CounterRandom.Uniform(seed, _next++);

    /// <summary>Uniform in [min, max); exactly min when min == max.</summary>
    public double Uniform(double min, double max) => min == max ? min : min + (max - min) * Uniform();

    /// <summary>True with probability <paramref name="p"/> (always draws one number, so later draws do not shift).</summary>
    public bool Bernoulli(double p) => Uniform() < p;

    /// <summary>Uniform integer in [min, max] (both included).</summary>
    public int Integer(int min, int max) => max <= min ? min : min + (int)Math.Min(Math.Floor(Uniform() * ((long)max - min + 1)), (long)max - min);

    /// <summary>Standard normal by Box-Muller from two uniforms: sqrt(-2 ln u1) cos(2 pi u2), u1 kept above 2^-24.</summary>
    public double Normal()
    {
        double u1 = Math.Max(Uniform(), 1.0 / 16777216.0);
        double u2 = Uniform();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
