using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Classification;

/// <summary>
/// Classifies frames with a network on the GPU: each frame is uploaded as it is, resized, cropped and
/// normalized by a shader into the input batch, the network runs, a softmax turns logits into
/// probabilities, and only those few floats come back to pick the top k. Use it on the GL thread
/// of its <see cref="VisionRuntime"/>; it owns its model unless told otherwise. The network runs as its inference-optimized
/// view (<see cref="InferenceGraphOptimizer"/>: BatchNorm folded into the convolutions, activations, zero padding and
/// residual adds fused into their epilogues); a classifier over a model it shares (<c>ownsModel: false</c>, e.g. a
/// fine-tuning session's) re-folds the weights on the GPU before every pass, so it always sees the current training state.
/// </summary>
public sealed class Classifier : IDisposable
{
    private readonly Model _model;
    private readonly Model _inference;
    private readonly bool _ownsModel;
    private readonly bool _refreshEachPass;
    private readonly IDisposable? _resources;
    private readonly Dictionary<int, Tensor> _inputs = [];
    private readonly Dictionary<int, Tensor> _probabilities = [];
    private bool _disposed;

    private Classifier(Model model, IReadOnlyList<string> labels, PreprocessOptions preprocess, bool ownsModel, IDisposable? resources = null,
        bool refreshEachPass = false)
    {
        _resources = resources;
        TensorShape output = model.InferShapes()[model.Outputs[0]];
        if (output.Rank != 2 || output[1] != labels.Count)
            throw new ArgumentException($"Classifier needs a model with [N, {labels.Count}] output (one per label); '{model.Name}' gives {output}.", nameof(labels));
        if (model.InputShapes.Count != 1 || model.InputShapes[0].Rank != 3 || model.InputShapes[0][0] is not (3 or 1))
            throw new ArgumentException($"Classifier needs a model with one [3,H,W] (or grey [1,H,W]) image input; '{model.Name}' takes {string.Join(", ", model.InputShapes)}.", nameof(model));
        _model = model;
        _ownsModel = ownsModel;
        _refreshEachPass = refreshEachPass;
        _inference = InferenceGraphOptimizer.Optimize(model);
        Labels = labels;
        Preprocess = preprocess with { Height = model.InputShapes[0][1], Width = model.InputShapes[0][2] };
    }

    /// <summary>Class names, in output order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>How frames become the network input (size, crop, normalization).</summary>
    public PreprocessOptions Preprocess { get; }

    /// <summary>The network (logits out).</summary>
    public Model Model => _model;

    /// <summary>The inference-optimized view of <see cref="Model"/> that classification runs (shares its layers).</summary>
    internal Model InferenceModel => _inference;

    /// <summary>Before a pass over <see cref="InferenceModel"/>: re-folds BatchNorm from a shared model's current weights.</summary>
    internal void PrepareInference()
    {
        if (_refreshEachPass) InferenceGraphOptimizer.Refresh(_inference);
    }

    /// <summary>
    /// Wraps a network that maps [N,3,H,W] images to [N, labels.Count] logits.
    /// </summary>
    /// <param name="model">The network; its input size decides the preprocessing size.</param>
    /// <param name="labels">One name per output.</param>
    /// <param name="preprocess">Crop and normalization (the size is taken from the model).</param>
    /// <param name="ownsModel">Dispose the model with the classifier.</param>
    public static Classifier FromModel(Model model, IReadOnlyList<string> labels, PreprocessOptions? preprocess = null, bool ownsModel = true) =>
        new(model, labels, preprocess ?? new PreprocessOptions(), ownsModel, refreshEachPass: !ownsModel);

    /// <summary>A classifier over an imported model whose lifetime <paramref name="resources"/> manages.</summary>
    internal static Classifier FromImported(Model model, IReadOnlyList<string> labels, PreprocessOptions preprocess, IDisposable resources) =>
        new(model, labels, preprocess, ownsModel: false, resources) { MaxBatch = 1 };

    /// <summary>A classifier over a model that <paramref name="resources"/> owns (e.g. a reopened fine-tuning session).</summary>
    internal static Classifier FromOwner(Model model, IReadOnlyList<string> labels, PreprocessOptions preprocess, IDisposable resources) =>
        new(model, labels, preprocess, ownsModel: false, resources);

    /// <summary>The largest batch <see cref="ClassifyBatch"/> accepts (imported ONNX graphs are fixed at one image).</summary>
    public int MaxBatch { get; private init; } = int.MaxValue;

    /// <summary>The top <paramref name="topK"/> classes of one frame, most probable first.</summary>
    /// <param name="frame">The image.</param>
    /// <param name="topK">How many classes to return (at most the label count).</param>
    public IReadOnlyList<Prediction> Classify(Frame frame, int topK = 5) => ClassifyBatch([frame], topK)[0];

    /// <summary>Classifies several frames in one network pass.</summary>
    /// <param name="frames">The images (any sizes and formats).</param>
    /// <param name="topK">How many classes to return per frame.</param>
    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<Frame> frames, int topK = 5)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frames.Count == 0) return [];
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        if (frames.Count > MaxBatch)
            return [.. frames.Chunk(MaxBatch).SelectMany(chunk => ClassifyBatch(chunk, topK))];
        var (input, probabilities) = BatchTensors(frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Frame f = frames[i];
            ImagePreprocessing.ToTensor(f.Pixels.Span, f.Width, f.Height, f.Stride, f.Format, input, i, Preprocess);
        }
        return Probabilities(input, probabilities, topK);
    }

    /// <summary>
    /// Classifies a GL texture the host rendered (an RGBA colour attachment, say) straight on the GPU: no pixels
    /// cross to the CPU. Call on the GL thread with the host's context current.
    /// </summary>
    /// <param name="textureId">The GL texture name (GL_TEXTURE_2D).</param>
    /// <param name="width">Texture width in pixels.</param>
    /// <param name="height">Texture height in pixels.</param>
    /// <param name="topK">How many classes to return.</param>
    /// <param name="flipVertically">GL textures store the bottom row first; true reads them as an upright image.</param>
    public IReadOnlyList<Prediction> ClassifyTexture(uint textureId, int width, int height, int topK = 5, bool flipVertically = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var (input, probabilities) = BatchTensors(1);
        ImagePreprocessing.FromTexture(textureId, width, height, input, 0, Preprocess, flipVertically);
        return Probabilities(input, probabilities, topK)[0];
    }

    /// <summary>
    /// Classifies a batch already in network-input form ([N,3,H,W] on the GPU, preprocessed), e.g.
    /// from a texture or an augmentation pipeline.
    /// </summary>
    /// <param name="input">Preprocessed images.</param>
    /// <param name="topK">How many classes to return per image.</param>
    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyTensor(Tensor input, int topK = 5)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Probabilities(input, ProbabilityTensor(input.Shape.N), topK);
    }

    private IReadOnlyList<IReadOnlyList<Prediction>> Probabilities(Tensor input, Tensor probabilities, int topK)
    {
        PrepareInference();
        Tensor logits = _inference.Forward(input, training: false);
        Softmax.Forward(logits, probabilities, axis: 1);
        float[] values = probabilities.ToArray();
        int classes = Labels.Count, k = Math.Min(topK, classes);
        var results = new IReadOnlyList<Prediction>[input.Shape.N];
        for (int n = 0; n < results.Length; n++)
        {
            results[n] = Enumerable.Range(0, classes)
                .OrderByDescending(c => values[n * classes + c]).ThenBy(c => c)
                .Take(k)
                .Select(c => new Prediction(c, Labels[c], values[n * classes + c]))
                .ToArray();
        }
        return results;
    }

    private (Tensor Input, Tensor Probabilities) BatchTensors(int count)
    {
        if (!_inputs.TryGetValue(count, out Tensor? input))
        {
            TensorShape sample = _model.InputShapes[0];
            _inputs[count] = input = new Tensor(_model.Context, new TensorShape(count, sample[0], sample[1], sample[2]));
        }
        return (input, ProbabilityTensor(count));
    }

    private Tensor ProbabilityTensor(int count)
    {
        if (!_probabilities.TryGetValue(count, out Tensor? probabilities))
            _probabilities[count] = probabilities = new Tensor(_model.Context, new TensorShape(count, Labels.Count));
        return probabilities;
    }

    /// <summary>Frees the GPU tensors (and the model when owned).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Tensor tensor in _inputs.Values.Concat(_probabilities.Values)) tensor.Dispose();
        _inputs.Clear();
        _probabilities.Clear();
        _inference.Dispose();
        if (_ownsModel) _model.Dispose();
        _resources?.Dispose();
    }
}
