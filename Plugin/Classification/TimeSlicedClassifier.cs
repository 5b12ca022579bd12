using System.Diagnostics;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Classification;

/// <summary>
/// Classifies one frame at a time in slices of a few milliseconds, so a render loop that calls
/// <see cref="Step"/> once per frame keeps its frame rate while a large network runs: the frame is
/// preprocessed on <see cref="Begin(Frame, int)"/> (one dispatch), then each <see cref="Step"/> runs network
/// layers until its budget is spent; the last step applies the softmax and reads back the top k.
/// <para>
/// While a classification is in progress nothing else may run the same network (a fine-tuning step on a
/// shared head, say): finish it or <see cref="Cancel"/> it first. Use on the GL thread.
/// </para>
/// </summary>
public sealed class TimeSlicedClassifier : IDisposable
{
    private readonly Classifier _classifier;
    private readonly ModelForwardCursor _cursor;
    private readonly Tensor _input;
    private readonly Tensor _probabilities;
    private readonly Stopwatch _latency = new();
    private int _topK = 5;
    private bool _disposed;

    /// <summary>Slices <paramref name="classifier"/>'s passes (the classifier stays owned by the caller).</summary>
    public TimeSlicedClassifier(Classifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        _classifier = classifier;
        _cursor = new ModelForwardCursor(classifier.InferenceModel);   // the fused inference view (fewer, faster nodes)
        TensorShape sample = classifier.Model.InputShapes[0];
        _input = new Tensor(classifier.Model.Context, new TensorShape(1, sample[0], sample[1], sample[2]));
        _probabilities = new Tensor(classifier.Model.Context, new TensorShape(1, classifier.Labels.Count));
    }

    /// <summary>The wrapped classifier.</summary>
    public Classifier Classifier => _classifier;

    /// <summary>A classification has begun and not finished.</summary>
    public bool IsBusy => _cursor.InProgress;

    /// <summary>Fraction of the current pass done (0 when idle).</summary>
    public double Progress => _cursor.InProgress ? _cursor.NodesDone / (double)Math.Max(1, _cursor.NodesToRun) : 0;

    /// <summary>Wall time from Begin to result of the last finished classification.</summary>
    public TimeSpan LastLatency { get; private set; }

    /// <summary>GPU work time (sum of the step times) of the last finished classification.</summary>
    public TimeSpan LastComputeTime { get; private set; }

    private TimeSpan _compute;

    /// <summary>Starts classifying <paramref name="frame"/> (uploaded and preprocessed now).</summary>
    /// <param name="frame">The image.</param>
    /// <param name="topK">How many classes the result lists.</param>
    public void Begin(Frame frame, int topK = 5)
    {
        BeginCommon(topK);
        var clock = Stopwatch.StartNew();
        ImagePreprocessing.ToTensor(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, frame.Format, _input, 0, _classifier.Preprocess);
        _compute = clock.Elapsed;
        _cursor.Start(_input);
    }

    /// <summary>Starts classifying a GL texture (RGBA colour texture of the current context) without a CPU copy.</summary>
    /// <param name="textureId">GL_TEXTURE_2D name.</param>
    /// <param name="width">Texture width.</param>
    /// <param name="height">Texture height.</param>
    /// <param name="topK">How many classes the result lists.</param>
    /// <param name="flipVertically">True when the texture's first row is the image's bottom row (GL convention).</param>
    public void BeginTexture(uint textureId, int width, int height, int topK = 5, bool flipVertically = true)
    {
        BeginCommon(topK);
        var clock = Stopwatch.StartNew();
        ImagePreprocessing.FromTexture(textureId, width, height, _input, 0, _classifier.Preprocess, flipVertically);
        _compute = clock.Elapsed;
        _cursor.Start(_input);
    }

    /// <summary>
    /// Runs the pass for about <paramref name="budget"/> (at least one layer); returns the top-k predictions,
    /// most probable first, when the pass finished in this step, otherwise null.
    /// </summary>
    public IReadOnlyList<Prediction>? Step(TimeSpan budget)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_cursor.InProgress) throw new InvalidOperationException("TimeSlicedClassifier.Step: no classification in progress; call Begin first.");
        var clock = Stopwatch.StartNew();
        bool done = _cursor.Step(budget);
        if (!done)
        {
            _compute += clock.Elapsed;
            return null;
        }
        Softmax.Forward(_cursor.Output!, _probabilities, axis: 1);
        float[] values = _probabilities.ToArray();
        _compute += clock.Elapsed;
        LastComputeTime = _compute;
        LastLatency = _latency.Elapsed;
        return TopK.Of(values, _classifier.Labels, _topK);
    }

    /// <summary>Runs the whole pass now (blocking); returns the predictions.</summary>
    public IReadOnlyList<Prediction> Finish()
    {
        IReadOnlyList<Prediction>? result;
        while ((result = Step(TimeSpan.MaxValue)) is null) { }
        return result;
    }

    /// <summary>Abandons the classification in progress, if any.</summary>
    public void Cancel() => _cursor.Cancel();

    private void BeginCommon(int topK)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        _topK = topK;
        _latency.Restart();
        _classifier.PrepareInference();
    }

    /// <summary>Frees the input and probability tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cursor.Cancel();
        _input.Dispose();
        _probabilities.Dispose();
    }
}
