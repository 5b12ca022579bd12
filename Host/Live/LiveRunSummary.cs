using System.Text.Json.Nodes;
using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.Live;

/// <summary>What a live run did, printed at the end (and as the --json object).</summary>
internal sealed record LiveRunSummary(long Frames, double FramesPerSecond, string Source, string SourceState, string? ScriptPhase,
    int? Scored, int? Correct, double? Accuracy, IReadOnlyList<ClassSlot> Classes, double? LastInferenceMs, HeadlessOutput? Output,
    IReadOnlyDictionary<string, (int Correct, int Total)>? PerLabel)
{
    public static LiveRunSummary From(LiveFrameProcessor processor, FpsMeter fps, CaptureStatus status, HeadlessOutput? headlessOutput)
    {
        ScriptedSession? script = processor.Script;
        return new LiveRunSummary(fps.Frames, processor.Elapsed > 0 ? fps.Frames / processor.Elapsed : 0, status.Source, status.State.ToString(),
            script?.Phase.ToString(), script?.Accuracy.Total, script?.Accuracy.Correct,
            script is { Accuracy.Total: > 0 } ? script.Accuracy.Accuracy : null, processor.Session.Classes,
            processor.Session.PredictionCount > 0 ? processor.Session.InferenceCompute.TotalMilliseconds : null, headlessOutput,
            script?.Accuracy.PerLabel);
    }

    public JsonObject ToJson() => new()
    {
        ["frames"] = Frames,
        ["frames_per_second"] = Math.Round(FramesPerSecond, 2),
        ["source"] = Source,
        ["source_state"] = SourceState,
        ["script_phase"] = ScriptPhase,
        ["scored"] = Scored,
        ["correct"] = Correct,
        ["accuracy"] = Accuracy is { } a ? Math.Round(a, 4) : null,
        ["per_label"] = PerLabel is null ? null : new JsonObject(PerLabel.Select(kv =>
            KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["correct"] = kv.Value.Correct, ["total"] = kv.Value.Total }))),
        ["classes"] = new JsonArray([.. Classes.Select(c => (JsonNode)new JsonObject { ["key"] = c.Key, ["name"] = c.Name, ["samples"] = c.SampleCount })]),
        ["inference_ms"] = LastInferenceMs is { } ms ? Math.Round(ms, 1) : null,
        ["video"] = Output?.Video,
        ["frames_folder"] = Output?.FramesFolder,
        ["png_frames"] = Output?.PngCount,
        ["log"] = Output?.Log,
    };
}
