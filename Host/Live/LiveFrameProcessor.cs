using System.Diagnostics;
using VisionPlugin.Classification;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Live;

/// <summary>
/// What happens to each frame on the GL thread, in the window and headless alike: the scripted session (if any)
/// presses its keys, the live session gets its time slice, new predictions are scored and logged, and the HUD
/// state for the overlay is built.
/// </summary>
internal sealed class LiveFrameProcessor(LiveSession session, ScriptedSession? script, PredictionLog? log, string sourceName)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _seenPredictions;

    public LiveSession Session => session;

    public ScriptedSession? Script => script;

    /// <summary>Seconds since the run started.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Applies commands (keys or the script's) to the current frame.</summary>
    public void Apply(IEnumerable<LiveCommand> commands, CapturedFrame? frame)
    {
        foreach (LiveCommand command in commands) session.Handle(command, frame?.AsPluginFrame());
    }

    /// <summary>Runs the script for a newly arrived frame.</summary>
    public void OnNewFrame(CapturedFrame frame)
    {
        if (script is not null && frame.SourceFrameIndex >= 0) Apply(script.OnFrame(frame.SourceFrameIndex, session), frame);
    }

    /// <summary>Time-sliced work (window): classification of the newest frame and training take turns.</summary>
    public void Work(CapturedFrame? frame, TimeSpan budget, uint previewTexture = 0)
    {
        (uint, int, int)? texture = frame is not null && previewTexture != 0 ? (previewTexture, frame.Width, frame.Height) : null;
        session.Work(frame?.AsPluginFrame(), frame?.Sequence ?? -1, frame?.SourceFrameIndex ?? -1, budget, texture);
        Collect();
    }

    /// <summary>Headless: classify this frame to the end now, or give training a slice.</summary>
    public void WorkHeadless(CapturedFrame frame, bool classifyThisFrame, TimeSpan trainingSlice)
    {
        if (session.IsTraining) session.Work(null, frame.Sequence, frame.SourceFrameIndex, trainingSlice);
        else if (classifyThisFrame) session.ClassifyNow(frame.AsPluginFrame(), frame.Sequence, frame.SourceFrameIndex);
        Collect();
    }

    private void Collect()
    {
        if (session.PredictionCount == _seenPredictions || session.Predictions is not { Count: > 0 } top) return;
        _seenPredictions = session.PredictionCount;
        script?.OnPrediction(session.PredictionFrameIndex, top[0]);
    }

    /// <summary>Logs once per second and builds the overlay state.</summary>
    public HudState Hud(KeyboardController? keyboard, bool showHelp, string? sourceStatus, double fps, CapturedFrame? frame, Func<int, string?> truthAt)
    {
        log?.Tick(Elapsed, frame?.SourceFrameIndex ?? -1, frame is null ? null : truthAt(frame.SourceFrameIndex),
            session.ShowsPredictions ? session.Predictions : null, fps, session.InferenceLatency.TotalMilliseconds,
            script?.Phase.ToString().ToLowerInvariant() ?? "live", session.IsTraining ? "training" : null);
        return HudBuilder.Build(session, script, keyboard, showHelp, sourceName, sourceStatus, fps);
    }

    /// <summary>The top prediction's label, if any.</summary>
    public Prediction? Top => session.ShowsPredictions && session.Predictions is { Count: > 0 } p ? p[0] : null;
}
