using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace VisionPlugin.Engine;

/// <summary>
/// A dedicated thread that owns a headless <see cref="GpuContext"/> and runs work on it in order.
/// Lets code on any thread (test runners, UI threads, thread-pool continuations) use the GPU while
/// keeping the rule that only the GL thread touches GL. Exceptions surface in the caller.
/// </summary>
public sealed class GpuThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private GpuContext? _context;
    private readonly ExceptionDispatchInfo? _startError;

    public GpuThread(GpuContextOptions? options = null, string name = "VisionPlugin GL")
    {
        using var started = new ManualResetEventSlim();
        ExceptionDispatchInfo? startError = null;
        _thread = new Thread(() =>
        {
            try { _context = GpuContext.CreateHeadless(options); }
            catch (Exception e) { startError = ExceptionDispatchInfo.Capture(e); }
            started.Set();
            if (startError is not null) return;
            foreach (Action action in _work.GetConsumingEnumerable()) action();
            _context?.Dispose();
        }) { IsBackground = true, Name = name };
        _thread.Start();
        started.Wait();
        _startError = startError;
        _startError?.Throw();
    }

    /// <summary>Runs <paramref name="work"/> on the GL thread and returns its result.</summary>
    public T Invoke<T>(Func<GpuContext, T> work)
    {
        ObjectDisposedException.ThrowIf(_work.IsAddingCompleted, this);
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId) return work(_context!);
        T result = default!;
        ExceptionDispatchInfo? error = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try { result = work(_context!); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        error?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="work"/> on the GL thread and waits for it.</summary>
    public void Invoke(Action<GpuContext> work) => Invoke<bool>(context => { work(context); return true; });

    /// <summary>Disposes the context on its thread and ends the thread. Idempotent.</summary>
    public void Dispose()
    {
        if (_work.IsAddingCompleted) return;
        _work.CompleteAdding();
        if (_startError is null) _thread.Join();
        _work.Dispose();
    }
}
