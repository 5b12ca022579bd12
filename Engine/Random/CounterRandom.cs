namespace VisionPlugin.Engine;

/// <summary>
/// The counter-based random numbers the shaders use (<c>common.glsl</c>): a PCG hash of
/// (seed, index). Mirrored here so CPU references and tests reproduce GPU masks and noise exactly
/// (uniforms bit-exact; normals up to the GPU's transcendental precision).
/// </summary>
public static class CounterRandom
{
    public static uint PcgHash(uint v)
    {
        uint state = unchecked(v * 747796405u + 2891336453u);
        uint word = unchecked(((state >> (int)((state >> 28) + 4u)) ^ state) * 277803737u);
        return (word >> 22) ^ word;
    }

    /// <summary>Uniform in [0,1) with 24 random bits.</summary>
    public static float Uniform(uint seed, uint index) => (PcgHash(index ^ PcgHash(seed)) >> 8) * (1.0f / 16777216.0f);

    /// <summary>Standard normal (Box-Muller), computed in double.</summary>
    public static double Normal(uint seed, uint index)
    {
        double u1 = Math.Max(Uniform(seed, 2u * index), 1.0 / 16777216.0);
        double u2 = Uniform(seed, 2u * index + 1u);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(6.28318530718 * u2);
    }
}
