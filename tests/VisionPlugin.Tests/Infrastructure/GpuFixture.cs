using VisionPlugin.Engine;

namespace VisionPlugin.Tests;

/// <summary>
/// One headless llvmpipe (or real GPU) context for the whole test run, on its own GL thread.
/// Tests call <see cref="Run"/> so every GL call happens on that thread.
/// </summary>
public sealed class GpuFixture : IDisposable
{
    public GpuFixture()
    {
        ProgramCacheDirectory = Path.Combine(Path.GetTempPath(), "visionplugin-tests", "programs");
        Thread = new GpuThread(new GpuContextOptions { ProgramBinaryCacheDirectory = ProgramCacheDirectory });
    }

    public GpuThread Thread { get; }
    public string ProgramCacheDirectory { get; }

    public void Run(Action<GpuContext> work) => Thread.Invoke(work);
    public T Run<T>(Func<GpuContext, T> work) => Thread.Invoke(work);

    public void Dispose() => Thread.Dispose();
}

/// <summary>Every test that touches the GPU joins this collection: they share the context and run one at a time.</summary>
[CollectionDefinition("Gpu")]
public sealed class GpuCollection : ICollectionFixture<GpuFixture> { }
