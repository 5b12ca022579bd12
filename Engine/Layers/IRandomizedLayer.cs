namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A layer whose training forward draws random numbers (dropout masks, random slopes, noise) from
/// the counter RNG keyed by its seed and a step counter that advances every training step.
/// Checkpoints save <see cref="Step"/> so a resumed run draws exactly what an uninterrupted one would.
/// </summary>
public interface IRandomizedLayer
{
    /// <summary>Training steps taken so far (the RNG stream index of the next step).</summary>
    long Step { get; set; }
}
