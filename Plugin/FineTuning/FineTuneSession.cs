using System.Diagnostics;
using VisionPlugin.Augmentation;
using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Losses;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Onnx.Export;
using VisionPlugin.Engine.Optimizers.Schedules;
using VisionPlugin.Engine.Training;
using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.FineTuning;

/// <summary>
/// Teaches a pretrained backbone new classes on the device. A new linear head (K outputs) sits on the
/// backbone's features; depending on <see cref="FineTuneOptions.Mode"/> only the head, the head and the
/// last blocks, or everything trains. BatchNorm layers stay in inference mode (running statistics)
/// throughout, as is usual when fine-tuning on a few hundred images. Work happens in
/// <see cref="Step"/> slices of bounded duration, so a host renders between them; the frozen front's
/// output is cached once per sample. Use on the GL thread of the runtime.
/// </summary>
public sealed class FineTuneSession : IDisposable
{
    private readonly GpuContext _context;
    private readonly Model _backbone;
    private readonly List<string> _classes;
    private readonly List<(SampleImage Image, int Class)> _samples = [];
    private readonly SoftmaxCrossEntropyLoss _loss = new();
    private readonly List<FineTuneEpoch> _history = [];
    private LinearLayer _head;
    private Model? _network, _trainable, _front;
    private Optimizer? _optimizer;
    private IEpochSchedule? _schedule;
    // Every cached input is an entry: one per sample (its original), then augmented variants. Training and
    // validation are lists of entry positions, so cross-validation folds reuse one cache.
    private TrainingInputs? _inputs;
    private int[] _entrySample = [];
    private int[] _trainPositions = [], _validationPositions = [];
    private float[][]? _pretrainedTail;
    private int[] _order = [];
    private int _epoch, _step;
    // The current epoch's figures accumulate on the GPU (no read-back inside a step) and are read every
    // Options.ProgressInterval and at the end of the epoch into _figures.
    private TrainingMetrics? _metrics;
    private Tensor? _stepLoss;
    private GpuBuffer? _stepCorrect;
    private TrainingMetricsSnapshot _figures = new(0, 0, 0, 0, 0, []);
    private TimeSpan _figuresReadAt;
    private readonly Stopwatch _epochClock = new();
    private readonly Dictionary<int, (Tensor Input, ClassLabels Labels, Tensor Grad)> _batches = [];
    private bool _prepared, _disposed;
    private readonly SessionStore? _store;

    private FineTuneSession(GpuContext context, Model backbone, IReadOnlyList<string> classes, FineTuneOptions options)
    {
        _context = context;
        _backbone = backbone;
        _classes = [.. classes];
        Options = options;
        _head = NewHead();
        if (options.SessionFolder is not null) _store = new SessionStore(options.SessionFolder);
    }

    /// <summary>The options the session trains with.</summary>
    public FineTuneOptions Options { get; }
    /// <summary>Class names, in output order.</summary>
    public IReadOnlyList<string> Classes => _classes;
    /// <summary>Samples per class.</summary>
    public IReadOnlyList<int> SampleCounts => _classes.Select((_, c) => _samples.Count(s => s.Class == c)).ToArray();
    /// <summary>Finished epochs, oldest first.</summary>
    public IReadOnlyList<FineTuneEpoch> History => _history;
    /// <summary>True when paused: <see cref="Step"/> does nothing until <see cref="Resume"/>.</summary>
    public bool IsPaused { get; private set; }
    /// <summary>True when every planned epoch has run.</summary>
    public bool IsFinished => _prepared && _epoch >= Options.Epochs;
    /// <summary>The most recent progress.</summary>
    public FineTuneProgress Progress { get; private set; } = new(FineTunePhase.Idle, 0, 0, 0, 0, double.NaN, 0, null, 0, TimeSpan.Zero, 0, 0);

    /// <summary>Raised after every unit of work (a cached batch or an optimizer step).</summary>
    public event Action<FineTuneProgress>? ProgressChanged;
    /// <summary>Raised after every epoch.</summary>
    public event Action<FineTuneEpoch>? EpochCompleted;

    /// <summary>Starts a session on a pretrained backbone with the given classes (more can be added before training).</summary>
    /// <param name="runtime">The GPU runtime (use the session on its thread).</param>
    /// <param name="classes">Class names; at least two before training starts.</param>
    /// <param name="options">Mode, optimizer, epochs and so on; null for the defaults.</param>
    public static FineTuneSession Create(VisionRuntime runtime, IReadOnlyList<string> classes, FineTuneOptions? options = null)
    {
        options ??= new FineTuneOptions();
        options.Validate();
        Model backbone = PretrainedZoo.Load(runtime.Context, options.Backbone);
        var session = new FineTuneSession(runtime.Context, backbone, classes, options);
        session._store?.SaveDescription(session._classes, options);
        return session;
    }

    /// <summary>
    /// Reopens a session saved in <paramref name="folder"/> (by a session created with
    /// <see cref="FineTuneOptions.SessionFolder"/>): its classes, every captured sample, and the weights,
    /// optimizer state and finished epochs of its last checkpoint, so training continues where it stopped.
    /// </summary>
    /// <param name="runtime">The GPU runtime.</param>
    /// <param name="folder">The session folder.</param>
    /// <exception cref="InvalidDataException">The folder holds no session, or its checkpoint does not fit.</exception>
    public static FineTuneSession Open(VisionRuntime runtime, string folder)
    {
        var store = new SessionStore(folder);
        var (classes, options) = store.LoadDescription() ?? throw new InvalidDataException($"{folder} holds no fine-tuning session (session.json missing).");
        Model backbone = PretrainedZoo.Load(runtime.Context, options.Backbone);
        var session = new FineTuneSession(runtime.Context, backbone, classes, options);
        var (samples, skipped) = store.LoadSamples(classes.Count);
        session._samples.AddRange(samples);
        session.SkippedSamples = skipped;
        if (File.Exists(store.CheckpointPath))
        {
            session.Prepare();
            session._epoch = TrainingCheckpoint.Load(store.CheckpointPath, session._network!, session._optimizer);
            foreach (FineTuneEpoch epoch in CheckpointHistory(store.CheckpointPath)) session._history.Add(epoch);
        }
        return session;
    }

    /// <summary>Persisted sample files that could not be read back by <see cref="Open"/> (path, reason).</summary>
    public IReadOnlyList<(string Path, string Reason)> SkippedSamples { get; private set; } = [];

    /// <summary>Adds a class; returns its index.</summary>
    /// <param name="name">A name not used yet.</param>
    public int AddClass(string name)
    {
        if (_classes.Contains(name)) throw new ArgumentException($"Class '{name}' already exists.", nameof(name));
        Invalidate();
        _classes.Add(name);
        _store?.SaveDescription(_classes, Options);
        return _classes.Count - 1;
    }

    /// <summary>Renames class <paramref name="classIndex"/> (samples and training are kept; names are only labels).</summary>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    /// <param name="name">A name no other class has.</param>
    public void RenameClass(int classIndex, string name)
    {
        if (classIndex < 0 || classIndex >= _classes.Count)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class index must be in [0, {_classes.Count}).");
        if (_classes.Where((c, i) => i != classIndex).Contains(name)) throw new ArgumentException($"Class '{name}' already exists.", nameof(name));
        _classes[classIndex] = name;
        _store?.SaveDescription(_classes, Options);
    }

    /// <summary>Adds a training image of class <paramref name="classIndex"/> (kept at most 256 px on its longer side).</summary>
    /// <param name="frame">The image.</param>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    public void AddSample(Frame frame, int classIndex) => AddSample(SampleImage.FromFrame(frame), classIndex);

    /// <summary>Adds an already converted sample.</summary>
    /// <param name="image">The sample.</param>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    public void AddSample(SampleImage image, int classIndex)
    {
        if (classIndex < 0 || classIndex >= _classes.Count)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class index must be in [0, {_classes.Count}).");
        Invalidate();
        _store?.SaveSample(image, classIndex); // persisted before it counts: a crash cannot lose it
        _samples.Add((image, classIndex));
    }

    /// <summary>
    /// Creates a session whose classes are the subfolders of <paramref name="folder"/> and adds every
    /// readable image in them (corrupt, empty and non-image files are skipped and listed in
    /// <see cref="SkippedSamples"/>; a class with none, or fewer than two classes, is refused).
    /// </summary>
    /// <param name="runtime">The GPU runtime.</param>
    /// <param name="folder">One subfolder per class.</param>
    /// <param name="options">Training options.</param>
    public static FineTuneSession FromFolder(VisionRuntime runtime, string folder, FineTuneOptions? options = null)
    {
        var dataset = Imaging.ImageFolderDataset.Load(folder, new Imaging.ImageFolderOptions
        {
            MaxSide = SampleImage.MaxSide, Alpha = Imaging.AlphaHandling.KeepRgba,
        });
        FineTuneSession session = Create(runtime, dataset.ClassNames, options);
        foreach (Imaging.ImageSample sample in dataset.Samples) session.AddSample(sample.ToFrame(), sample.Label);
        session.SkippedSamples = dataset.Skipped.Select(s => (s.Path, s.Reason)).ToList();
        return session;
    }

    /// <summary>
    /// Ends the current training run so classes and samples can change again (a live session that captures
    /// more samples after training, say); the next <see cref="Step"/> prepares anew and trains from the
    /// pretrained weights with a fresh head. The history of the ended run is cleared.
    /// </summary>
    public void RestartTraining()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Put the pretrained tail back and forget it: the next Prepare may build a tail with another head size.
        if (_pretrainedTail is not null && _trainable is not null)
            for (int i = 0; i < _pretrainedTail.Length; i++) _trainable.Parameters[i].Value.Upload(_pretrainedTail[i]);
        _pretrainedTail = null;
        _prepared = false;
        _epoch = 0;
        _step = 0;
        _history.Clear();
        Report(new FineTuneProgress(FineTunePhase.Idle, 0, Options.Epochs, 0, 0, double.NaN, 0, null, 0, TimeSpan.Zero, 0, 0));
    }

    /// <summary>Stops doing work in <see cref="Step"/> until <see cref="Resume"/>.</summary>
    public void Pause() => IsPaused = true;

    /// <summary>Lets <see cref="Step"/> work again.</summary>
    public void Resume() => IsPaused = false;

    /// <summary>
    /// Does training work for about <paramref name="budget"/> (at least one unit: a batch of front passes
    /// or one optimizer step) and returns the progress; a host calls it between frames.
    /// </summary>
    /// <param name="budget">Wall time to spend.</param>
    public FineTuneProgress Step(TimeSpan budget)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _context.VerifyAccess();
        if (IsPaused || IsFinished) return Progress;
        var clock = Stopwatch.StartNew();
        if (!_prepared) Prepare();
        do
        {
            if (!_inputs!.Ready) CacheBatch(clock, CacheCountFor(budget - clock.Elapsed), budget - clock.Elapsed);
            else TrainStep();
        } while (clock.Elapsed < budget && !IsFinished);
        return Progress;
    }

    /// <summary>Runs every remaining epoch (blocking; for scripts and commands).</summary>
    public IReadOnlyList<FineTuneEpoch> Train()
    {
        while (!IsFinished) Step(TimeSpan.FromSeconds(1));
        return _history;
    }

    /// <summary>
    /// Stratified k-fold cross-validation with the session's options: the frozen front runs once per sample (and
    /// augmented variant); then for each fold the pretrained tail and a fresh head train on the other folds for
    /// <see cref="FineTuneOptions.Epochs"/> and are scored on that fold. The network ends in the last fold's state.
    /// </summary>
    /// <param name="folds">Number of folds (at least 2).</param>
    public IReadOnlyList<FoldResult> CrossValidate(int folds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (_samples.Count < folds) throw new InvalidOperationException($"{folds} folds need at least {folds} samples; the session has {_samples.Count}.");
        Prepare();
        BuildInputs(_front, copiesOf: [.. Enumerable.Range(0, _samples.Count)]); // variants of every sample: each is in some training fold
        var clock = Stopwatch.StartNew();
        while (!_inputs!.Ready) CacheBatch(clock, Options.BatchSize, TimeSpan.MaxValue);
        int[] fold = Folds(folds);
        var results = new List<FoldResult>();
        for (int f = 0; f < folds; f++)
        {
            var foldClock = Stopwatch.StartNew();
            _trainPositions = Positions([.. Enumerable.Range(0, _samples.Count).Where(i => fold[i] != f)], withCopies: true);
            _validationPositions = Positions([.. Enumerable.Range(0, _samples.Count).Where(i => fold[i] == f)], withCopies: false);
            ResetTraining();
            while (!IsFinished) TrainStep();
            FineTuneEpoch last = _history[^1];
            results.Add(new FoldResult(f, last.ValidationAccuracy ?? double.NaN, last.TrainAccuracy, _validationPositions.Length, foldClock.Elapsed.TotalSeconds));
        }
        return results;
    }

    /// <summary>A classifier over the current network (shares the session's layers; dispose it before the session).</summary>
    public Classifier ToClassifier()
    {
        EnsureNetwork();
        return Classifier.FromModel(_network!, _classes, Preprocess, ownsModel: false);
    }

    /// <summary>The network: backbone, pooled features, then the head (shared with the session).</summary>
    public Model Network
    {
        get
        {
            EnsureNetwork();
            return _network!;
        }
    }

    private PreprocessOptions Preprocess => new() { Height = _backbone.InputShapes[0][1], Width = _backbone.InputShapes[0][2] };

    /// <summary>How frames become the network's input (the backbone's size, centre crop, RGB in [0,1]).</summary>
    public PreprocessOptions InputPreprocessing => Preprocess;
    private int FeatureCount => _backbone.InferShapes()[_backbone.Outputs[0]][1];

    private LinearLayer NewHead() =>
        new(_context, "head", FeatureCount, Math.Max(1, _classes.Count), weightInit: Initializer.XavierUniform(), random: new Random(Options.Seed));

    private void Invalidate()
    {
        if (_prepared && _epoch > 0)
            throw new InvalidOperationException("Training has started; create a new session (or reset) to change classes or samples.");
        _prepared = false;
    }

    /// <summary>Backbone layers + head as one non-owning view (rebuilt when the class count changes).</summary>
    private void EnsureNetwork()
    {
        if (_network is not null && _head.Weight.Shape[0] == _classes.Count) return;
        if (_head.Weight.Shape[0] != _classes.Count)
        {
            _head.Dispose();
            _head = NewHead();
        }
        _network?.Dispose();
        _network = BackboneBlocks.WithHead(_backbone, _head, "finetuned-" + Options.Backbone);
    }

    private void Prepare()
    {
        if (_classes.Count < 2) throw new InvalidOperationException($"Fine-tuning needs at least two classes; the session has {_classes.Count}.");
        int[] counts = [.. SampleCounts];
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] == 0) throw new InvalidOperationException($"Class '{_classes[c]}' has no samples.");
        EnsureNetwork();
        var (train, validation) = Split();
        (Model? front, Model trainable) = Partition();
        _trainable?.Dispose();
        _front?.Dispose();
        _trainable = trainable;
        _front = front;
        if (Options.AugmentedCopies > 0 && front is null)
            throw new InvalidOperationException("AugmentedCopies needs a frozen front to cache (head or last-blocks mode).");
        BuildInputs(front, copiesOf: train);
        _trainPositions = Positions(train, withCopies: true);
        _validationPositions = Positions(validation, withCopies: false);
        ResetTraining();
        _prepared = true;
    }

    /// <summary>The cache: every sample's original, then AugmentedCopies variants of each sample in <paramref name="copiesOf"/>.</summary>
    private void BuildInputs(Model? front, IReadOnlyList<int> copiesOf)
    {
        _entrySample = [.. Enumerable.Range(0, _samples.Count), .. Enumerable.Range(0, Options.AugmentedCopies).SelectMany(_ => copiesOf)];
        bool[] augmented = [.. _entrySample.Select((_, i) => i >= _samples.Count)];
        _inputs?.Dispose();
        _inputs = new TrainingInputs(front, _entrySample.Select(i => _samples[i].Image).ToList(), Preprocess,
            new TensorShape(_trainable!.InputShapes[0].Dimensions.ToArray()), augmented,
            Options.AugmentedCopies > 0 ? Augmentation(Preprocess.Width) : null);
    }

    /// <summary>Entry positions of <paramref name="samples"/> (originals, plus their augmented variants when asked).</summary>
    private int[] Positions(IReadOnlyList<int> samples, bool withCopies)
    {
        var wanted = samples.ToHashSet();
        return [.. Enumerable.Range(0, _entrySample.Length)
            .Where(p => wanted.Contains(_entrySample[p]) && (withCopies || p < _samples.Count))];
    }

    /// <summary>A fresh head, the pretrained tail weights, a new optimizer and schedule, epoch 0.</summary>
    private void ResetTraining()
    {
        if (_pretrainedTail is null)
            _pretrainedTail = [.. _trainable!.Parameters.Select(p => p.Value.ToArray())];
        else
            for (int i = 0; i < _pretrainedTail.Length; i++) _trainable!.Parameters[i].Value.Upload(_pretrainedTail[i]);
        _head.Weight.Initialize(Initializer.XavierUniform(), new Random(Options.Seed));
        _head.Bias!.Value.Fill(0f);
        _optimizer?.Dispose();
        float rate = Options.LearningRate ?? (Options.Optimizer is "sgd" or "momentum" or "nesterov" ? 1e-2f : 1e-3f);
        _optimizer = OptimizerFactory.Create(Options.Optimizer, _trainable!.Parameters.Where(p => p.Trainable).ToList(), rate,
            Options.WeightDecay > 0 ? Regularization.L2Penalty(Options.WeightDecay) : null);
        _schedule = Options.CosineSchedule ? new CosineAnnealingSchedule(rate, Options.Epochs, rate * 0.01f) : null;
        _epoch = 0;
        _step = 0;
        _history.Clear();
    }

    /// <summary>
    /// The variants cached for training: a random resized crop keeping at least half of the picture (objects
    /// stay recognisable), a mirror, a small rotation with reflected borders and colour jitter.
    /// </summary>
    private AugmentationPipeline Augmentation(int size) =>
        new AugmentationPipeline(Options.Seed)
            .RandomResizedCrop(size, size, scale: (0.5, 1.0))
            .FlipHorizontal(0.5)
            .Rotate(15)
            .ColorJitter(0.3, 0.3, 0.3);

    /// <summary>Seeded, stratified split: ValidationSplit of every class with two or more samples.</summary>
    private (int[] Train, int[] Validation) Split()
    {
        var random = new Random(Options.Seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, _samples.Count).GroupBy(i => _samples[i].Class).OrderBy(g => g.Key))
        {
            int[] members = [.. group];
            random.Shuffle(members);
            int held = Options.ValidationSplit <= 0 || members.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(members.Length * Options.ValidationSplit));
            validation.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        return ([.. train.Order()], [.. validation.Order()]);
    }

    /// <summary>Seeded, stratified k-fold assignment: fold of every sample (each class dealt round-robin after a shuffle).</summary>
    private int[] Folds(int folds)
    {
        var random = new Random(Options.Seed);
        var fold = new int[_samples.Count];
        foreach (var group in Enumerable.Range(0, _samples.Count).GroupBy(i => _samples[i].Class).OrderBy(g => g.Key))
        {
            int[] members = [.. group];
            random.Shuffle(members);
            for (int k = 0; k < members.Length; k++) fold[members[k]] = k % folds;
        }
        return fold;
    }

    /// <summary>Freezes what the mode keeps fixed and returns (frozen front or null, trainable part).</summary>
    private (Model? Front, Model Trainable) Partition()
    {
        Model network = _network!;
        network.SetFrozen(true);
        _head.Frozen = false;
        switch (Options.Mode)
        {
            case FineTuneMode.Head:
            {
                int cut = _backbone.Outputs[0];
                return (ModelSlicing.Front(network, cut), ModelSlicing.Tail(network, cut));
            }
            case FineTuneMode.LastBlocks:
            {
                IReadOnlyList<int> ends = BackboneBlocks.Ends(_backbone);
                int blocks = Math.Min(Options.TrainableBlocks, ends.Count - 1);
                int cut = ends[ends.Count - 1 - blocks];
                Model tail = ModelSlicing.Tail(network, cut);
                UnfreezeBackbone(tail);
                return (ModelSlicing.Front(network, cut), tail);
            }
            default:
            {
                var whole = new Model(_context, network.Name + ".all", [.. network.InputShapes]) { OwnsLayers = false };
                for (int id = network.InputCount; id < network.NodeCount; id++)
                {
                    var (layer, inputs) = network.NodeAt(id);
                    whole.Add(layer!, [.. inputs]);
                }
                UnfreezeBackbone(whole);
                return (null, whole);
            }
        }
    }

    /// <summary>Unfreezes the backbone layers of <paramref name="part"/> except BatchNorm (kept in inference mode), at the backbone learning-rate scale.</summary>
    private void UnfreezeBackbone(Model part)
    {
        foreach (Layer layer in part.Layers)
        {
            if (layer == _head || layer is BatchNormLayer) continue;
            layer.Frozen = false;
            foreach (Parameter p in layer.Parameters) p.LearningRateScale = Options.BackboneLearningRateScale;
        }
    }

    /// <summary>
    /// How many samples one caching pass covers: a full batch when the caller gives a long budget, one sample when it
    /// gives a frame-sized one (the pass is then sliced per layer over several Step calls). Only these two batch sizes
    /// occur, so the front's layers keep activations for two shapes, not one per budget.
    /// </summary>
    private int CacheCountFor(TimeSpan remaining) => remaining >= TimeSpan.FromSeconds(1) ? Options.BatchSize : 1;

    private double _passSeconds;

    /// <summary>A caching unit: part of a front pass over up to <paramref name="count"/> samples, within <paramref name="budget"/>.</summary>
    private void CacheBatch(Stopwatch clock, int count, TimeSpan budget)
    {
        long start = clock.ElapsedTicks;
        if (!_inputs!.PassInFlight) _passSeconds = 0;
        int done = _inputs.CacheSliced(count, budget);
        double seconds = Math.Max(1e-6, (clock.ElapsedTicks - start) / (double)Stopwatch.Frequency);
        _passSeconds += seconds;
        if (done == 0) return; // a pass is still in flight (time-sliced over several Step calls)
        seconds = _passSeconds;
        Report(new FineTuneProgress(FineTunePhase.Caching, 0, Options.Epochs, 0, StepsPerEpoch, double.NaN, 0, null,
            done / seconds, TimeSpan.FromSeconds((_inputs.Count - _inputs.CachedCount) * seconds / Math.Max(1, done)), _inputs.CachedCount, _inputs.Count));
    }

    private int StepsPerEpoch => (_trainPositions.Length + Options.BatchSize - 1) / Options.BatchSize;

    private void TrainStep()
    {
        if (_step == 0)
        {
            _order = [.. _trainPositions];
            new Random(unchecked(Options.Seed * 1_000_003 + _epoch)).Shuffle(_order);
            if (_schedule is not null) _optimizer!.LearningRate = _schedule.LearningRateAt(_epoch);
            _metrics ??= new TrainingMetrics(_context);
            _stepLoss ??= new Tensor(_context, new TensorShape(1));
            _stepCorrect ??= new GpuBuffer(_context, 1);
            _metrics.Reset();
            _figures = new TrainingMetricsSnapshot(0, 0, 0, 0, 0, []);
            _figuresReadAt = TimeSpan.Zero;
            _epochClock.Restart();
        }
        int start = _step * Options.BatchSize, count = Math.Min(Options.BatchSize, _order.Length - start);
        var batch = new ArraySegment<int>(_order, start, count);
        var (input, labels, grad) = Batch(count);
        _inputs!.Fill(batch, input);
        SetLabels(labels, batch);
        // All on the GPU, nothing read back: a NaN/Inf loss or gradient (e.g. a corrupt sample) rejects the step there.
        Tensor logits = _trainable!.Forward(input, training: true);
        _loss.Forward(logits, labels, _stepLoss!);
        ClassificationAccuracy.CountCorrect(logits, labels, _stepCorrect!);
        _loss.Backward(logits, labels, grad);
        _trainable.Backward(grad);
        _optimizer!.GuardedStep(_stepLoss);
        _metrics!.Record(_stepLoss!, _stepCorrect, _optimizer.StepStatus, count, _step + 1);
        _step++;
        if (_step >= StepsPerEpoch || _epochClock.Elapsed - _figuresReadAt >= Options.ProgressInterval)
        {
            _figures = _metrics.Read();
            _figuresReadAt = _epochClock.Elapsed;
        }
        double elapsed = _epochClock.Elapsed.TotalSeconds;
        double rate = (start + count) / Math.Max(1e-6, elapsed);
        int remainingSteps = (Options.Epochs - _epoch - 1) * StepsPerEpoch + (StepsPerEpoch - _step);
        Report(new FineTuneProgress(FineTunePhase.Training, _epoch + 1, Options.Epochs, _step, StepsPerEpoch,
            _figures.MeanLoss, _figures.Accuracy, _history.LastOrDefault()?.ValidationAccuracy,
            rate, TimeSpan.FromSeconds(remainingSteps * elapsed / _step), _inputs.CachedCount, _inputs.Count));
        if (_step >= StepsPerEpoch) FinishEpoch();
    }

    private void FinishEpoch()
    {
        double seconds = _epochClock.Elapsed.TotalSeconds;
        var (validationLoss, validationAccuracy) = EvaluateValidation();
        var epoch = new FineTuneEpoch(_epoch + 1, _figures.MeanLoss, _figures.Accuracy, validationLoss, validationAccuracy, seconds, _figures.Rejected);
        _history.Add(epoch);
        _epoch++;
        _step = 0;
        if (_store is not null && Options.CheckpointEveryEpoch) SaveCheckpoint(_store.CheckpointPath);
        EpochCompleted?.Invoke(epoch);
        if (IsFinished)
            Report(Progress with { Phase = FineTunePhase.Finished, Epoch = _epoch, ValidationAccuracy = validationAccuracy, EstimatedRemaining = TimeSpan.Zero });
    }

    /// <summary>
    /// Saves the weights (backbone and head), optimizer state, finished epochs and the epoch history
    /// atomically; <see cref="Open"/> resumes from it.
    /// </summary>
    /// <param name="path">Target file.</param>
    public void SaveCheckpoint(string path)
    {
        EnsureNetwork();
        TrainingCheckpoint.Save(path, _network!, _optimizer, _epoch);
        Visualization.AtomicFile.WriteAllBytes(path + ".history.json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_history));
    }

    private static IEnumerable<FineTuneEpoch> CheckpointHistory(string checkpoint)
    {
        string path = checkpoint + ".history.json";
        return File.Exists(path) ? System.Text.Json.JsonSerializer.Deserialize<FineTuneEpoch[]>(File.ReadAllText(path)) ?? [] : [];
    }

    /// <summary>
    /// Writes the classifier (backbone, pooled features, head; logits out) as a standard ONNX file, with the
    /// class names and the input convention (RGB in [0,1], NCHW) in its doc string.
    /// </summary>
    /// <param name="path">Target .onnx file (written atomically).</param>
    public void ExportOnnx(string path)
    {
        EnsureNetwork();
        string doc = new System.Text.Json.Nodes.JsonObject
        {
            ["labels"] = new System.Text.Json.Nodes.JsonArray(_classes.Select(c => (System.Text.Json.Nodes.JsonNode)c).ToArray()),
            ["input"] = "RGB scaled to [0,1], NCHW, centre-cropped to the input size",
            ["backbone"] = Options.Backbone,
        }.ToJsonString();
        OnnxExporter.Export(_network!, path, new OnnxExportOptions { DocString = doc, GraphName = _network!.Name });
    }

    /// <summary>(loss, accuracy) on the held-out samples in inference mode; nulls without a validation split.</summary>
    private (double?, double?) EvaluateValidation()
    {
        if (_validationPositions.Length == 0) return (null, null);
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < _validationPositions.Length; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, _validationPositions.Length - start);
            var slice = new ArraySegment<int>(_validationPositions, start, count);
            var (input, labels, _) = Batch(count);
            _inputs!.Fill(slice, input);
            SetLabels(labels, slice);
            Tensor logits = _trainable!.Forward(input, training: false);
            lossSum += _loss.Forward(logits, labels) * count;
            correct += ClassificationAccuracy.CountCorrect(logits, labels);
        }
        return (lossSum / _validationPositions.Length, (double)correct / _validationPositions.Length);
    }

    /// <summary>Uploads the class of each cached entry in <paramref name="positions"/> (no heap allocation for batches up to 1,024).</summary>
    private void SetLabels(ClassLabels labels, ArraySegment<int> positions)
    {
        Span<int> classes = positions.Count <= 1024 ? stackalloc int[positions.Count] : new int[positions.Count];
        for (int i = 0; i < classes.Length; i++) classes[i] = _samples[_entrySample[positions[i]]].Class;
        labels.Set(classes);
    }

    private (Tensor Input, ClassLabels Labels, Tensor Grad) Batch(int count)
    {
        if (_batches.TryGetValue(count, out var cached) && cached.Input.Shape.Dimensions[1..].SequenceEqual(_inputs!.SampleShape.Dimensions)) return cached;
        if (_batches.Remove(count, out var stale)) { stale.Input.Dispose(); stale.Labels.Dispose(); stale.Grad.Dispose(); }
        var created = (new Tensor(_context, new TensorShape([count, .. _inputs!.SampleShape.Dimensions])),
            new ClassLabels(_context, new int[count]), new Tensor(_context, count, _classes.Count));
        _batches[count] = created;
        return created;
    }

    private void Report(FineTuneProgress progress)
    {
        Progress = progress;
        ProgressChanged?.Invoke(progress);
    }

    /// <summary>Frees the backbone, head, caches and optimizer state.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (input, labels, grad) in _batches.Values) { input.Dispose(); labels.Dispose(); grad.Dispose(); }
        _inputs?.Dispose();
        _metrics?.Dispose();
        _stepLoss?.Dispose();
        _stepCorrect?.Dispose();
        _optimizer?.Dispose();
        _trainable?.Dispose();
        _front?.Dispose();
        _network?.Dispose();
        _head.Dispose();
        _backbone.Dispose();
    }
}
