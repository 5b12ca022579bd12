using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.FineTuning;

/// <summary>
/// What the trainable part of the network reads for each sample. With a frozen front the front's
/// output is computed once per sample and kept on the CPU (<see cref="Cached"/>); without one
/// (full fine-tuning) every batch is preprocessed from the images again. Entries marked augmented
/// pass through the augmentation pipeline after preprocessing (draws keyed by the entry's position).
/// </summary>
internal sealed class TrainingInputs : IDisposable
{
    private readonly Model? _front;
    private readonly IReadOnlyList<SampleImage> _images;
    private readonly IReadOnlyList<bool> _augmented;
    private readonly AugmentationPipeline? _augmentation;
    private readonly PreprocessOptions _preprocess;
    private readonly float[]?[] _cache;
    private Tensor? _frontBatch;
    private float[] _batchValues = [];

    public TrainingInputs(Model? front, IReadOnlyList<SampleImage> images, PreprocessOptions preprocess, TensorShape sampleShape,
        IReadOnlyList<bool>? augmented = null, AugmentationPipeline? augmentation = null)
    {
        // The front is frozen (BatchNorm with running statistics): cache through its inference view, with BatchNorm
        // folded into the convs and pads, residual adds and activations fused into their epilogues (~4x fewer dispatches).
        _front = front is null ? null : InferenceGraphOptimizer.Optimize(front);
        _images = images;
        _augmented = augmented ?? new bool[images.Count];
        _augmentation = augmentation;
        _preprocess = preprocess;
        SampleShape = sampleShape;
        _cache = new float[]?[images.Count];
    }

    /// <summary>Per-sample shape the trainable part reads.</summary>
    public TensorShape SampleShape { get; }
    public bool Cached => _front is not null;
    public int Count => _images.Count;
    public int CachedCount { get; private set; }
    public bool Ready => !Cached || CachedCount == Count;

    /// <summary>Caches up to <paramref name="maxSamples"/> more samples (one front pass); returns how many.</summary>
    public int CacheMore(int maxSamples) => CacheSliced(maxSamples, TimeSpan.MaxValue);

    /// <summary>
    /// Works about <paramref name="budget"/> on caching: starts a front pass over up to <paramref name="maxSamples"/>
    /// pending samples when none is in flight, runs its layers until the budget is spent (at least one), and when the
    /// pass ends stores the outputs. Returns how many samples were cached by this call (0 while a pass is in flight).
    /// Nothing else may run the front's layers while a pass is in flight.
    /// </summary>
    public int CacheSliced(int maxSamples, TimeSpan budget)
    {
        if (_front is null || Ready) return 0;
        if (_inFlight is null) StartPass(maxSamples);
        if (!_cursor!.Step(budget)) return 0;
        float[] values = _cursor.Output!.ToArray();
        int size = SampleShape.ElementCount;
        List<int> pending = _inFlight!;
        for (int i = 0; i < pending.Count; i++) _cache[pending[i]] = values[(i * size)..((i + 1) * size)];
        CachedCount += pending.Count;
        _inFlight = null;
        return pending.Count;
    }

    /// <summary>A front pass is in flight (started, not finished).</summary>
    public bool PassInFlight => _inFlight is not null;

    private ModelForwardCursor? _cursor;
    private List<int>? _inFlight;

    private void StartPass(int maxSamples)
    {
        // One batch holds only originals or only augmented entries, so the pipeline runs on whole batches.
        int first = Enumerable.Range(0, Count).First(i => _cache[i] is null);
        var pending = Enumerable.Range(first, Count - first)
            .Where(i => _cache[i] is null).TakeWhile(i => _augmented[i] == _augmented[first]).Take(maxSamples).ToList();
        GpuContext context = _front!.Context;
        if (_frontBatch is null || _frontBatch.Shape.N != pending.Count)
        {
            _frontBatch?.Dispose();
            _frontBatch = new Tensor(context, new TensorShape(pending.Count, 3, _preprocess.Height, _preprocess.Width));
        }
        for (int i = 0; i < pending.Count; i++) Preprocess(_images[pending[i]], _frontBatch, i);
        if (_augmented[first])
        {
            if (_augmentation is null) throw new InvalidOperationException("Augmented entries need an augmentation pipeline.");
            _augmentation.Apply(_frontBatch, _frontBatch, step: first); // the batch's first entry keys its draws
        }
        _cursor ??= new ModelForwardCursor(_front);
        _cursor.Start(_frontBatch);
        _inFlight = pending;
    }

    /// <summary>Writes the samples <paramref name="indices"/> into <paramref name="batch"/> [n, SampleShape...].</summary>
    public void Fill(IReadOnlyList<int> indices, Tensor batch)
    {
        if (_front is null)
        {
            for (int i = 0; i < indices.Count; i++) Preprocess(_images[indices[i]], batch, i);
            return;
        }
        int size = SampleShape.ElementCount;
        if (_batchValues.Length < indices.Count * size) _batchValues = new float[indices.Count * size]; // reused across steps
        for (int i = 0; i < indices.Count; i++)
            (_cache[indices[i]] ?? throw new InvalidOperationException("Sample not cached yet.")).CopyTo(_batchValues, i * size);
        batch.Upload(_batchValues.AsSpan(0, indices.Count * size));
    }

    private void Preprocess(SampleImage image, Tensor batch, int slot)
    {
        var frame = image.OnWhite();
        ImagePreprocessing.ToTensor(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, frame.Format, batch, slot, _preprocess);
    }

    public void Dispose()
    {
        _frontBatch?.Dispose();
        _front?.Dispose(); // the view's own fused layers only; the front stays with the session
    }
}
