using VisionPlugin.Engine;

namespace VisionPlugin.Host.Tests;

/// <summary>
/// A headless EGL context (no X) on its own GL thread for the offscreen rendering tests; tests pass their GL work
/// to <see cref="Run"/> so every GL call happens on that thread.
/// </summary>
public sealed class HeadlessGlFixture : IDisposable
{
    public HeadlessGlFixture()
    {
        ProgramCacheDirectory = Path.Combine(Path.GetTempPath(), "visionplugin-host-tests", "programs");
        Thread = new GpuThread(new GpuContextOptions { ProgramBinaryCacheDirectory = ProgramCacheDirectory }, "Host tests GL");
    }

    public GpuThread Thread { get; }
    public string ProgramCacheDirectory { get; }

    public void Run(Action<GpuContext> work) => Thread.Invoke(work);
    public T Run<T>(Func<GpuContext, T> work) => Thread.Invoke(work);

    public void Dispose() => Thread.Dispose();
}

/// <summary>Offscreen rendering tests share one headless context and run one at a time.</summary>
[CollectionDefinition("HeadlessGl")]
public sealed class HeadlessGlCollection : ICollectionFixture<HeadlessGlFixture> { }
