using VisionPlugin.Classification;

namespace VisionPlugin.Host.Live;

/// <summary>What a scripted session is doing.</summary>
internal enum ScriptPhase
{
    /// <summary>Naming each segment's class and capturing frames from the first part of each segment.</summary>
    Capturing,
    /// <summary>Training pressed; waiting for it to finish while the video keeps playing.</summary>
    Training,
    /// <summary>Classifying live and scoring the predictions of frames outside the capture parts.</summary>
    Evaluating,
    /// <summary>One full loop of the video was evaluated.</summary>
    Done,
}

/// <summary>
/// Presses the keys a user would on a labelled video: N to name each segment's class, the class key on every
/// <c>captureEvery</c>-th frame of the first part of each segment, T once every segment was captured; then, while the
/// video keeps looping, scores each live prediction whose frame lies outside the capture parts against that
/// frame's segment label, for one full loop of the video.
/// </summary>
internal sealed class ScriptedSession
{
    private readonly SegmentTimeline _timeline;
    private readonly int _captureEvery;
    private readonly HashSet<string> _named = [];
    private int _previousFrame = -1;
    private int _evaluationStart = -1;
    private bool _wrappedSinceEvaluationStart;

    public ScriptedSession(SegmentTimeline timeline, int captureEvery = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(captureEvery, 1);
        _timeline = timeline;
        _captureEvery = captureEvery;
    }

    public ScriptPhase Phase { get; private set; } = ScriptPhase.Capturing;

    /// <summary>Live accuracy on the evaluation frames.</summary>
    public RunningAccuracy Accuracy { get; } = new();

    /// <summary>Samples captured so far.</summary>
    public int Captured { get; private set; }

    /// <summary>The commands to issue for source frame <paramref name="frame"/> (its index in the video).</summary>
    public IReadOnlyList<LiveCommand> OnFrame(int frame, LiveSession session)
    {
        var commands = new List<LiveCommand>();
        bool wrapped = _previousFrame >= 0 && frame < _previousFrame;
        _previousFrame = frame;
        switch (Phase)
        {
            case ScriptPhase.Capturing:
                if (_timeline.SegmentAt(frame) is { } segment && frame <= _timeline.LastCaptureFrame(segment))
                {
                    int key = _timeline.KeyOf(segment.Label);
                    if (_named.Add(segment.Label)) commands.Add(new LiveCommand.NameClass(key, segment.Label));
                    if ((frame - segment.FirstFrame) % _captureEvery == 0)
                    {
                        commands.Add(new LiveCommand.Capture(key));
                        Captured++;
                    }
                }
                bool allCaptured = _named.Count == _timeline.Labels.Count &&
                    (wrapped || frame > _timeline.LastCaptureFrame(_timeline.Segments[^1]));
                if (allCaptured)
                {
                    commands.Add(new LiveCommand.Train());
                    Phase = ScriptPhase.Training;
                }
                break;
            case ScriptPhase.Training:
                if (!session.IsTraining && session.ShowsPredictions)
                {
                    Phase = ScriptPhase.Evaluating;
                    _evaluationStart = frame;
                }
                else if (!session.IsTraining && !session.ShowsPredictions)
                {
                    commands.Add(new LiveCommand.Train()); // training was refused or stopped: press T again
                }
                break;
            case ScriptPhase.Evaluating:
                if (wrapped) _wrappedSinceEvaluationStart = true;
                if (_wrappedSinceEvaluationStart && frame >= _evaluationStart) Phase = ScriptPhase.Done;
                break;
        }
        return commands;
    }

    /// <summary>Frame <paramref name="frame"/> is scored (outside the capture parts, inside a segment).</summary>
    public bool IsEvaluationFrame(int frame) => _timeline.SegmentAt(frame) is not null && !_timeline.IsCaptureFrame(frame);

    /// <summary>Scores a prediction computed on source frame <paramref name="frame"/> (only while evaluating).</summary>
    public void OnPrediction(int frame, Prediction top1)
    {
        if (Phase != ScriptPhase.Evaluating || !IsEvaluationFrame(frame)) return;
        Accuracy.Add(_timeline.SegmentAt(frame)!.Label, top1.Label);
    }

    /// <summary>One line for the overlay.</summary>
    public string Status => Phase switch
    {
        ScriptPhase.Capturing => $"Script: capturing samples ({Captured} so far) from the first {_timeline.CaptureFraction:P0} of each segment",
        ScriptPhase.Training => "Script: training (T) while the video plays",
        ScriptPhase.Evaluating => $"Script: live accuracy vs segment labels {Accuracy.Correct}/{Accuracy.Total}" + (Accuracy.Total > 0 ? $" = {Accuracy.Accuracy:P1}" : ""),
        _ => $"Script done: accuracy vs segment labels {Accuracy.Correct}/{Accuracy.Total}" + (Accuracy.Total > 0 ? $" = {Accuracy.Accuracy:P1}" : ""),
    };
}
