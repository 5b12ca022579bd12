using System.Diagnostics;
using VisionPlugin.Classification;
using VisionPlugin.FineTuning;

namespace VisionPlugin.Host.Live;

/// <summary>
/// The live classifier and its in-window fine-tuning session, independent of window or headless output:
/// commands (capture a sample of class k, name, train, save, export, reset) change it; <see cref="Work"/>
/// spends a frame's time budget on time-sliced classification of the newest frame and on training slices,
/// never interleaving the two inside one network pass. Use on the GL thread.
/// <para>
/// It starts either with a ready classifier (a model file: live classification only) or empty, with a
/// fine-tuning session over the default backbone whose classes the user captures; its original head is never
/// shown — until a first training epoch finishes there are no predictions, only the capture hint.
/// </para>
/// </summary>
internal sealed class LiveSession : IDisposable
{
    private readonly VisionRuntime _runtime;
    private readonly LiveSessionOptions _options;
    private readonly List<(int Key, string Name)> _slots = [];
    private readonly Classifier? _fixedClassifier;
    private FineTuneSession? _session;
    private Classifier? _sessionClassifier;
    private TimeSlicedClassifier? _sliced;
    private bool _training, _trainedOnce, _trainTurn;
    private long _classifyingSequence = -1, _lastClassifiedSequence = -1;
    private int _classifyingFrameIndex = -1;
    private readonly Stopwatch _messageClock = new();
    private bool _disposed;

    /// <summary>An empty fine-tuning session (or, with <paramref name="classifier"/>, live classification with that model).</summary>
    public LiveSession(VisionRuntime runtime, LiveSessionOptions options, Classifier? classifier = null)
    {
        _runtime = runtime;
        _options = options;
        _fixedClassifier = classifier;
        if (classifier is not null) _sliced = new TimeSlicedClassifier(classifier);
    }

    /// <summary>Classes in key order.</summary>
    public IReadOnlyList<ClassSlot> Classes
    {
        get
        {
            int[] counts = _session is null ? [] : [.. _session.SampleCounts];
            return [.. _slots.Select((s, i) => new ClassSlot(s.Key, s.Name, i < counts.Length ? counts[i] : 0))];
        }
    }

    /// <summary>The model shown to the user ("MobileNetV2 + 3-class head", or the model file's name).</summary>
    public string ModelName => _fixedClassifier is not null ? _options.ModelName : $"MobileNetV2 + {_slots.Count}-class head";

    /// <summary>Fine-tuning is possible (no fixed model was given).</summary>
    public bool CanFineTune => _fixedClassifier is null;

    /// <summary>Newest predictions (null while there is nothing trained to show).</summary>
    public IReadOnlyList<Prediction>? Predictions { get; private set; }

    /// <summary>Source frame index (in a file) the newest predictions were computed on; -1 for live sources.</summary>
    public int PredictionFrameIndex { get; private set; } = -1;

    /// <summary>Increments with every new prediction.</summary>
    public long PredictionCount { get; private set; }

    /// <summary>Wall time from a frame's classification start to its result (time-sliced over frames).</summary>
    public TimeSpan InferenceLatency { get; private set; }

    /// <summary>GPU time the last classification took.</summary>
    public TimeSpan InferenceCompute { get; private set; }

    /// <summary>Training is running.</summary>
    public bool IsTraining => _training;

    /// <summary>Latest training progress, if a session exists.</summary>
    public FineTuneProgress? TrainingProgress => _session?.Progress;

    /// <summary>Epochs of the current training run.</summary>
    public IReadOnlyList<FineTuneEpoch> TrainingHistory => _session?.History ?? [];

    /// <summary>A transient message for the user (saved, exported, errors), shown for a few seconds.</summary>
    public string? Message => _messageClock.IsRunning && _messageClock.Elapsed < _options.MessageDuration ? _message : null;

    private string? _message;

    /// <summary>Applies a command to the frame currently shown.</summary>
    public void Handle(LiveCommand command, Frame? currentFrame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (command)
        {
            case LiveCommand.ToggleHelp or LiveCommand.Screenshot: break; // the window's business
            case LiveCommand.Capture c when !CanFineTune: Say("Fine-tuning is off: started with a model file (--model)."); _ = c; break;
            case LiveCommand.Capture c:
                if (currentFrame is not { } frame) { Say("No frame to capture yet."); break; }
                Capture(c.Key, frame);
                break;
            case LiveCommand.NameClass n: Name(n.Key, n.Name); break;
            case LiveCommand.Train: StartTraining(); break;
            case LiveCommand.Save: Save(); break;
            case LiveCommand.Export: Export(); break;
            case LiveCommand.Reset: Reset(); break;
        }
    }

    /// <summary>
    /// Spends about <paramref name="budget"/> on the newest frame: continues or starts its classification, or
    /// runs a training slice between classifications (training and classification take turns when both want time).
    /// </summary>
    /// <param name="frame">The newest frame (null when none arrived yet).</param>
    /// <param name="sequence">The frame's sequence number (a frame is classified once).</param>
    /// <param name="sourceFrameIndex">Its index in the source file, -1 for live sources.</param>
    /// <param name="budget">Time to spend.</param>
    /// <param name="texture">The same frame already on the GPU (the preview texture, top row first): classified from there, no second upload.</param>
    public void Work(Frame? frame, long sequence, int sourceFrameIndex, TimeSpan budget, (uint Id, int Width, int Height)? texture = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        if (_sliced is { IsBusy: true })
        {
            StepClassification(budget);
            return;
        }
        // While samples are cached the front's layers hold a pass in flight: no classification runs through them then.
        bool caching = _session?.Progress.Phase is FineTunePhase.Caching or FineTunePhase.Idle;
        if (_training && (caching || _trainTurn || !ShowsPredictions || frame is null || sequence == _lastClassifiedSequence))
        {
            TrainSlice(budget);
            _trainTurn = false;
            return;
        }
        if (ShowsPredictions && _sliced is not null && frame is { } f && sequence != _lastClassifiedSequence)
        {
            if (texture is { } t) _sliced.BeginTexture(t.Id, t.Width, t.Height, _options.TopK, flipVertically: false);
            else _sliced.Begin(f, _options.TopK);
            _classifyingSequence = sequence;
            _classifyingFrameIndex = sourceFrameIndex;
            StepClassification(budget - clock.Elapsed);
        }
    }

    /// <summary>Runs the classification of <paramref name="frame"/> to the end now (headless runs that score every frame).</summary>
    public void ClassifyNow(Frame frame, long sequence, int sourceFrameIndex)
    {
        if (!ShowsPredictions || _sliced is null) return;
        _sliced.Cancel();
        _sliced.Begin(frame, _options.TopK);
        _classifyingSequence = sequence;
        _classifyingFrameIndex = sourceFrameIndex;
        StepClassification(TimeSpan.MaxValue);
    }

    /// <summary>Predictions are meaningful: a model file, or a session that finished at least one epoch.</summary>
    public bool ShowsPredictions => _fixedClassifier is not null || _trainedOnce;

    private void StepClassification(TimeSpan budget)
    {
        IReadOnlyList<Prediction>? result = _sliced!.Step(budget < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : budget);
        if (result is null) return;
        Predictions = result;
        PredictionFrameIndex = _classifyingFrameIndex;
        _lastClassifiedSequence = _classifyingSequence;
        InferenceLatency = _sliced.LastLatency;
        InferenceCompute = _sliced.LastComputeTime;
        PredictionCount++;
        _trainTurn = true;
    }

    private void TrainSlice(TimeSpan budget)
    {
        FineTuneSession session = _session!;
        try
        {
            session.Step(budget);
        }
        catch (InvalidOperationException e)
        {
            _training = false;
            Say("Training stopped: " + e.Message);
            return;
        }
        if (session.History.Count > 0 && !_trainedOnce)
        {
            _trainedOnce = true;
            EnsureClassifier();
        }
        if (session.IsFinished)
        {
            _training = false;
            FineTuneEpoch last = session.History[^1];
            Say($"Training done: {last.Epoch} epochs, train accuracy {last.TrainAccuracy:P0}" +
                (last.ValidationAccuracy is { } v ? $", held-out {v:P0}" : "") + ". Press S to save, E to export.");
        }
    }

    private void Capture(int key, Frame frame)
    {
        FineTuneSession session = EnsureSession();
        int index = SlotIndex(key) ?? AddSlot(key, $"class {key}");
        if (_training || session.IsFinished || session.History.Count > 0) StopTrainingForChanges();
        session.AddSample(frame, index);
    }

    private void Name(int key, string name)
    {
        name = name.Trim();
        if (name.Length == 0) { Say("A class name cannot be empty."); return; }
        if (!CanFineTune) { Say("Fine-tuning is off: started with a model file (--model)."); return; }
        if (_slots.Any(s => s.Name == name && s.Key != key)) { Say($"Another class is already named '{name}'."); return; }
        if (SlotIndex(key) is { } existing)
        {
            _slots[existing] = (key, name);
            _session!.RenameClass(existing, name);
            RebuildClassifierLabels();
            return;
        }
        EnsureSession();
        AddSlot(key, name);
    }

    private void StartTraining()
    {
        if (!CanFineTune) { Say("Fine-tuning is off: started with a model file (--model)."); return; }
        if (_session is null || _slots.Count < 2) { Say("Capture at least two classes first (hold 1, 2, ... while showing each object)."); return; }
        int[] counts = [.. _session.SampleCounts];
        int empty = Array.IndexOf(counts, 0);
        if (empty >= 0) { Say($"Class '{_slots[empty].Name}' has no samples yet: press {_slots[empty].Key} to capture some."); return; }
        if (_session.IsFinished || _session.History.Count > 0) _session.RestartTraining();
        _sliced?.Cancel();
        _training = true;
        _trainTurn = true;
        Say($"Training on {counts.Sum()} samples of {counts.Length} classes ...");
    }

    private void Save()
    {
        if (_session is null || !_trainedOnce) { Say("Nothing to save yet: capture classes and train (T) first."); return; }
        string path = Path.Combine(SessionFolder, "checkpoint.ckpt");
        try
        {
            _session.SaveCheckpoint(path);
            Say($"Saved session to {SessionFolder} (open with: ./visionplugin classify --model {SessionFolder} <image>)");
        }
        catch (IOException e) { Say($"Save failed: {e.Message} (nothing was overwritten)"); }
    }

    private void Export()
    {
        if (_session is null || !_trainedOnce) { Say("Nothing to export yet: capture classes and train (T) first."); return; }
        string path = Path.Combine(_options.OutputDirectory, "live-model.onnx");
        try
        {
            Directory.CreateDirectory(_options.OutputDirectory);
            _session.ExportOnnx(path);
            Say($"Exported ONNX to {path}");
        }
        catch (IOException e) { Say($"Export failed: {e.Message}"); }
    }

    private void Reset()
    {
        if (!CanFineTune) return;
        DropClassifier();
        _session?.Dispose();
        _session = null;
        _slots.Clear();
        _training = _trainedOnce = false;
        Predictions = null;
        _sessionFolder = null;
        Say("Session reset: every class and sample forgotten.");
    }

    private void StopTrainingForChanges()
    {
        _sliced?.Cancel();
        _session!.RestartTraining();
        if (_training) Say("Training stopped to add samples; press T to train again.");
        _training = false;
    }

    private FineTuneSession EnsureSession()
    {
        if (_session is not null) return _session;
        _session = FineTuneSession.Create(_runtime, [], _options.FineTune with { SessionFolder = SessionFolder });
        return _session;
    }

    private string? _sessionFolder;

    /// <summary>Where this run's session (samples, description, checkpoint) is stored: output/session-&lt;start time&gt;.</summary>
    public string SessionFolder => _sessionFolder ??= Path.Combine(_options.OutputDirectory, $"session-{DateTime.Now:yyyyMMdd-HHmmss}");

    private int AddSlot(int key, string name)
    {
        DropClassifier();
        if (_session!.History.Count > 0 || _session.IsFinished) StopTrainingForChanges();
        int index = _session.AddClass(name);
        _slots.Add((key, name));
        return index;
    }

    private void RebuildClassifierLabels()
    {
        bool trained = _trainedOnce;
        DropClassifier();
        _trainedOnce = trained;
        if (trained) EnsureClassifier();
    }

    private int? SlotIndex(int key)
    {
        int i = _slots.FindIndex(s => s.Key == key);
        return i < 0 ? null : i;
    }

    private void EnsureClassifier()
    {
        if (_sliced is not null || _session is null) return;
        _sessionClassifier = _session.ToClassifier();
        _sliced = new TimeSlicedClassifier(_sessionClassifier);
    }

    private void DropClassifier()
    {
        if (_fixedClassifier is not null) return;
        _sliced?.Dispose();
        _sliced = null;
        _sessionClassifier?.Dispose();
        _sessionClassifier = null;
        Predictions = null;
        _trainedOnce = false;
    }

    /// <summary>Shows <paramref name="message"/> for a few seconds.</summary>
    public void Say(string message)
    {
        _message = message;
        _messageClock.Restart();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DropClassifier();
        _sliced?.Dispose();
        _session?.Dispose();
    }
}
