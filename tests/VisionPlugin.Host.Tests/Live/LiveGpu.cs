using VisionPlugin.Engine;

namespace VisionPlugin.Host.Tests.Live;

/// <summary>A headless runtime on its own GL thread for the live-session tests (one per test class).</summary>
public sealed class LiveGpu : IDisposable
{
    public LiveGpu()
    {
        Thread = new GpuThread(new GpuContextOptions { ProgramBinaryCacheDirectory = Path.Combine(Path.GetTempPath(), "visionplugin-tests", "programs") });
    }

    public GpuThread Thread { get; }

    public T Run<T>(Func<VisionRuntime, T> work) => Thread.Invoke(context =>
    {
        using var runtime = VisionRuntime.Wrap(context);
        return work(runtime);
    });

    public void Dispose() => Thread.Dispose();
}
