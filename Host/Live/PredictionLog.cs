using System.Text.Json;
using System.Text.Json.Nodes;
using VisionPlugin.Classification;

namespace VisionPlugin.Host.Live;

/// <summary>
/// A per-second log of what the live view showed, one JSON object per line (JSON Lines):
/// {"t": seconds since start, "frame": source frame index, "truth": segment label or null, "top": [{"label","p"}],
///  "fps": preview frames/s, "latency_ms": inference latency, "phase": script phase or "live", "training": status}.
/// </summary>
internal sealed class PredictionLog : IDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly StreamWriter _writer;
    private double _nextSecond;

    public PredictionLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: false) { AutoFlush = true };
        LogPath = path;
    }

    public string LogPath { get; }

    /// <summary>Lines written.</summary>
    public int Lines { get; private set; }

    /// <summary>Writes a line when a new second of <paramref name="elapsedSeconds"/> began since the last line.</summary>
    public void Tick(double elapsedSeconds, int frame, string? truth, IReadOnlyList<Prediction>? top, double fps, double latencyMs, string phase, string? training)
    {
        if (elapsedSeconds < _nextSecond) return;
        _nextSecond = Math.Floor(elapsedSeconds) + 1;
        var line = new JsonObject
        {
            ["t"] = Math.Round(elapsedSeconds, 3),
            ["frame"] = frame,
            ["truth"] = truth,
            ["top"] = top is null ? null : new JsonArray([.. top.Select(p => (JsonNode)new JsonObject { ["label"] = p.Label, ["p"] = Math.Round(p.Probability, 4) })]),
            ["fps"] = Math.Round(fps, 2),
            ["latency_ms"] = Math.Round(latencyMs, 1),
            ["phase"] = phase,
            ["training"] = training,
        };
        _writer.WriteLine(line.ToJsonString(Compact));
        Lines++;
    }

    public void Dispose() => _writer.Dispose();
}
