using VisionPlugin.Engine;

namespace VisionPlugin.Host.Bench;

/// <summary>
/// What every section of one run shares: the GL context (the current renderer), the peers, the settings, a scratch
/// folder (deleted at the end) and the MobileNetV2 files built once for the sections that need them.
/// </summary>
internal sealed class BenchRun(GpuContext context, PeerRunner peers, BenchSettings settings) : IDisposable
{
    private BenchNetworkFiles? _networkFiles;

    public GpuContext Context { get; } = context;
    public PeerRunner Peers { get; } = peers;
    public BenchSettings Settings { get; } = settings;

    /// <summary>The run's scratch folder.</summary>
    public string WorkDirectory { get; } = System.IO.Directory.CreateTempSubdirectory("visionplugin-bench-").FullName;

    /// <summary>The benchmark MobileNetV2 exported to ONNX, with its test image (built on first use).</summary>
    public BenchNetworkFiles NetworkFiles => _networkFiles ??= BenchNetworkFiles.Create(Context, WorkDirectory);

    public void Dispose()
    {
        _networkFiles?.Dispose();
        try { System.IO.Directory.Delete(WorkDirectory, recursive: true); }
        catch (IOException) { } // best effort: a peer may still hold a file open on some systems
    }
}
