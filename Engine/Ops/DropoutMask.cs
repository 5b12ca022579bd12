namespace VisionPlugin.Engine;

/// <summary>
/// The random keep/drop masks of <see cref="Dropout"/> and <see cref="DropConnect"/>, drawn from the counter RNG
/// (<see cref="CounterRandom"/>, <c>common.glsl</c>) so they are never stored: the shaders recompute an element's
/// decision from (stream seed, flat index) in the forward and the backward pass, and tests recompute it on the CPU.
/// Element i is kept when Uniform(streamSeed, i) &gt;= p, so P(keep) = 1 - p (to 2^-24); kept values are scaled
/// by 1 / (1 - p) (inverted dropout), so inference needs no scaling. This file and <c>dropout_mask.glsl</c> are
/// mirrors of each other.
/// </summary>
public static class DropoutMask
{
    /// <summary>True when element <paramref name="index"/> of stream <paramref name="streamSeed"/> survives drop probability <paramref name="p"/>.</summary>
    public static bool IsKept(uint streamSeed, uint index, float p) => CounterRandom.Uniform(streamSeed, index) >= p;

    /// <summary>1 / (1 - p), the factor kept values are multiplied by; computed in float as the shaders receive it.</summary>
    public static float KeepScale(float p) => 1f / (1f - p);

    /// <summary>
    /// The stream of one training step of one layer: PcgHash(PcgHash(layerSeed) + step) (mod 2^32). PcgHash is a
    /// bijection on 32 bits, so for a given layer seed every step (below 2^32) gets its own stream, and a run
    /// with the same seeds repeats its masks exactly.
    /// </summary>
    public static uint StreamSeed(uint layerSeed, long step) =>
        CounterRandom.PcgHash(unchecked(CounterRandom.PcgHash(layerSeed) + (uint)step));

    /// <summary>Checks 0 &lt;= p &lt; 1 (p = 1 would drop everything and divide by zero).</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1) or NaN; the message names <paramref name="op"/> and p.</exception>
    public static void ValidateProbability(float p, string op, string paramName = "p")
    {
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(paramName, $"{op} drop probability p must be in [0, 1); got {p}.");
    }
}
