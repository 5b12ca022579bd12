using System.Text.Json.Nodes;

namespace VisionPlugin.Host.Bench;

/// <summary>A peer's figure for one row (<see cref="Value"/>), or why there is none (<see cref="Unavailable"/>).</summary>
internal sealed record PeerFigure(string Peer, double? Value, string? Unavailable)
{
    public static PeerFigure Of(string peer, double value) => new(peer, value, null);
    public static PeerFigure Missing(string peer, string reason) => new(peer, null, reason);
}

/// <summary>
/// One row of the bench: our figure and each peer's, measured in the same run. <see cref="SpeedRatio"/> is our speed
/// divided by the peer's (&gt; 1: ours is faster): peer ÷ ours for times (<see cref="HigherIsBetter"/> false), ours ÷
/// peer for rates.
/// </summary>
internal sealed record BenchFigure(string Name, string Unit, bool HigherIsBetter, double Ours, IReadOnlyList<PeerFigure> Peers, string? Note = null)
{
    public double? SpeedRatio(PeerFigure peer) =>
        peer.Value is double value && value > 0 && Ours > 0 ? (HigherIsBetter ? Ours / value : value / Ours) : null;

    public JsonObject ToJson()
    {
        var peers = new JsonObject();
        foreach (PeerFigure peer in Peers)
            peers[peer.Peer] = peer.Value is double value
                ? new JsonObject { ["value"] = Round(value), ["speed_ratio"] = SpeedRatio(peer) is double r ? Round(r) : null }
                : new JsonObject { ["unavailable"] = peer.Unavailable };
        return new JsonObject
        {
            ["name"] = Name, ["unit"] = Unit, ["higher_is_better"] = HigherIsBetter, ["ours"] = Round(Ours),
            ["peers"] = peers, ["note"] = Note,
        };
    }

    public static double Round(double value) => Math.Round(value, Math.Abs(value) >= 100 ? 1 : 4);
}

/// <summary>
/// What one section measured: its rows, free-form details for the JSON, and whether its verification passed
/// (<see cref="Failure"/> says why not; a section whose output was wrong is not trusted).
/// </summary>
internal sealed record SectionResult(string Name, string Title, IReadOnlyList<BenchFigure> Figures, JsonObject Details, string? Failure = null)
{
    public bool Passed => Failure is null;
}
