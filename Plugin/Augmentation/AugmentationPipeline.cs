using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// A composable GPU data-augmentation pipeline for NCHW float batches (images in [0, 1] before normalization by
/// default; see <see cref="ClipRange"/> for other ranges). Build it fluently —
/// <c>new AugmentationPipeline(seed).RandomResizedCrop(224, 224).FlipHorizontal(0.5).ColorJitter(0.4, 0.4, 0.4)</c> —
/// or from transform records with <see cref="Then"/>; every builder call returns a new pipeline, the configuration
/// never changes. An empty pipeline is the identity.
/// </summary>
/// <remarks>
/// <para>Randomness: image n of a batch at step s draws the parameters of transform t from the counter stream
/// (seed, s, t, n) (<see cref="AugmentationRandom"/>), so a given (seed, step) always reproduces the same batch and
/// every step draws new parameters. <see cref="Step"/> is the one piece of mutable state: the overloads without
/// an explicit step use it and advance it by one; set it to resume (e.g. epoch * batchesPerEpoch + batch).</para>
/// <para>Execution: consecutive geometric transforms are composed into one affine map per image and resampled
/// once; colour, noise and cutout stages run in place on scratch buffers; nothing is read back to the CPU.
/// Use the pipeline on the GL thread of the tensors' context.</para>
/// </remarks>
public sealed partial class AugmentationPipeline
{
    private readonly AugmentationTransform[] _transforms;
    private long _step;

    /// <summary>An empty (identity) pipeline with the given seed, clipping colour and noise results to [0, 1].</summary>
    /// <param name="seed">Seeds every random draw.</param>
    public AugmentationPipeline(int seed = 0) : this(seed, [], (0f, 1f)) { }

    private AugmentationPipeline(int seed, AugmentationTransform[] transforms, (float Min, float Max)? clipRange)
    {
        Seed = seed;
        _transforms = transforms;
        ClipRange = clipRange;
    }

    /// <summary>Seeds every random draw.</summary>
    public int Seed { get; }

    /// <summary>The transforms, in the order they apply; a transform's index is its random stream's stage number.</summary>
    public IReadOnlyList<AugmentationTransform> Transforms => _transforms;

    /// <summary>
    /// The value range colour and noise stages clip to: (0, 1) by default, for images before normalization;
    /// null (<see cref="WithoutClipping"/>) for any range, e.g. normalized images.
    /// </summary>
    public (float Min, float Max)? ClipRange { get; }

    /// <summary>True when the pipeline has no transforms (it copies input to output).</summary>
    public bool IsIdentity => _transforms.Length == 0;

    /// <summary>The step the next counter-driven <c>Apply</c> uses; each such call advances it by one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public long Step
    {
        get => _step;
        set => _step = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"Step must be >= 0; got {value}.");
    }

    /// <summary>This pipeline followed by <paramref name="transform"/> (the new pipeline starts at step 0).</summary>
    /// <param name="transform">Any transform record.</param>
    public AugmentationPipeline Then(AugmentationTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new AugmentationPipeline(Seed, [.. _transforms, transform], ClipRange);
    }

    /// <summary>The same transforms with another seed.</summary>
    /// <param name="seed">Seeds every random draw.</param>
    public AugmentationPipeline WithSeed(int seed) => new(seed, _transforms, ClipRange);

    /// <summary>The same transforms, clipping colour and noise results to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">Lowest value.</param>
    /// <param name="max">Highest value (&gt;= min).</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not finite (named with its value).</exception>
    public AugmentationPipeline WithClipRange(float min, float max)
    {
        OptionChecks.Range((min, max), float.MinValue, float.MaxValue, "clipRange");
        return new AugmentationPipeline(Seed, _transforms, (min, max));
    }

    /// <summary>The same transforms with no clipping (for images in any range).</summary>
    public AugmentationPipeline WithoutClipping() => new(Seed, _transforms, null);

    /// <summary>The batch shape the pipeline produces from <paramref name="input"/> (crops and resizes change H and W; a background composite turns 4 channels into 3).</summary>
    /// <param name="input">[N,C,H,W].</param>
    /// <exception cref="ArgumentException">Some transform cannot take the shape it receives (the message names it).</exception>
    public TensorShape OutputShape(TensorShape input)
    {
        if (input.Rank != 4 || input.ElementCount <= 0)
            throw new ArgumentException($"AugmentationPipeline takes image batches [N,C,H,W]; got {input}.", nameof(input));
        TensorShape shape = input;
        foreach (AugmentationTransform transform in _transforms) shape = transform.OutputShape(shape);
        return shape;
    }

    /// <summary>Augments <paramref name="batch"/> in place at <see cref="Step"/>, then advances the step.</summary>
    /// <param name="batch">[N,C,H,W]; the pipeline must keep its shape.</param>
    /// <exception cref="ArgumentException">The pipeline changes the shape (then use an output tensor).</exception>
    public void Apply(Tensor batch) => Apply(batch, batch);

    /// <summary>Augments <paramref name="input"/> into <paramref name="output"/> at <see cref="Step"/>, then advances the step.</summary>
    /// <param name="input">[N,C,H,W]; left unchanged unless it is the output.</param>
    /// <param name="output">[N,C',H',W'] = <see cref="OutputShape"/>(input); may be the input when the shapes agree.</param>
    /// <exception cref="ArgumentException">The output shape is not <see cref="OutputShape"/>(input.Shape).</exception>
    public void Apply(Tensor input, Tensor output)
    {
        Apply(input, output, _step);
        _step++;
    }

    /// <summary>Augments <paramref name="input"/> into <paramref name="output"/> with the draws of <paramref name="step"/>; <see cref="Step"/> is not touched.</summary>
    /// <param name="input">[N,C,H,W]; left unchanged unless it is the output.</param>
    /// <param name="output">[N,C',H',W'] = <see cref="OutputShape"/>(input); may be the input when the shapes agree.</param>
    /// <param name="step">Which draws to use (&gt;= 0).</param>
    /// <exception cref="ArgumentException">The output shape is not <see cref="OutputShape"/>(input.Shape).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    public void Apply(Tensor input, Tensor output, long step)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        RequireOutput(input.Shape, output.Shape);
        PipelineRunner.Run(this, input, output, step);
    }

    /// <summary>Augments RGB cut-outs with a separate alpha mask (for a pipeline with a background composite) at <see cref="Step"/>, then advances the step.</summary>
    /// <param name="rgb">[N,3,H,W] foreground colours.</param>
    /// <param name="alphaMask">[N,1,H,W] opacity in [0, 1].</param>
    /// <param name="output">[N,3,H',W'] = <see cref="OutputShape"/> of the RGBA batch.</param>
    public void Apply(Tensor rgb, Tensor alphaMask, Tensor output)
    {
        Apply(rgb, alphaMask, output, _step);
        _step++;
    }

    /// <summary>Augments RGB cut-outs with a separate alpha mask with the draws of <paramref name="step"/>: the pipeline sees the RGBA batch [N,4,H,W].</summary>
    /// <param name="rgb">[N,3,H,W] foreground colours.</param>
    /// <param name="alphaMask">[N,1,H,W] opacity in [0, 1].</param>
    /// <param name="output">[N,3,H',W'] = <see cref="OutputShape"/> of the RGBA batch.</param>
    /// <param name="step">Which draws to use (&gt;= 0).</param>
    /// <exception cref="ArgumentException">The shapes do not fit (the message names them).</exception>
    public void Apply(Tensor rgb, Tensor alphaMask, Tensor output, long step)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentNullException.ThrowIfNull(alphaMask);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        TensorShape s = rgb.Shape;
        if (s.Rank != 4 || s.C != 3 || alphaMask.Shape != new TensorShape(s.N, 1, s.H, s.W))
            throw new ArgumentException($"RGB [N,3,H,W] and alpha mask [N,1,H,W] must match; got {rgb.Shape} and {alphaMask.Shape}.", nameof(alphaMask));
        var rgba = new TensorShape(s.N, 4, s.H, s.W);
        RequireOutput(rgba, output.Shape);
        ImageBatch packed = PipelineRunner.PackRgba(rgb, alphaMask);
        PipelineRunner.Run(this, packed, output, step);
    }

    private void RequireOutput(TensorShape input, TensorShape output)
    {
        TensorShape expected = OutputShape(input);
        if (output != expected)
            throw new ArgumentException($"AugmentationPipeline turns {input} into {expected}; the output is {output}.", nameof(output));
    }

    /// <summary>"seed S: T1 -> T2 -> ..." (or "identity").</summary>
    public override string ToString() =>
        $"AugmentationPipeline(seed {Seed}, step {Step}): " + (IsIdentity ? "identity" : string.Join(" -> ", _transforms.Select(t => t.GetType().Name.Replace("Transform", ""))));
}
