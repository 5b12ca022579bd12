namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// How many accepted updates each parameter of an optimizer has received, kept on the GPU so a step
/// rejected on the GPU (non-finite loss or gradient) does not advance them and nothing is read back
/// inside a step. Per slot s (the parameter's index in <see cref="Optimizer.Parameters"/>):
///   Steps[s]   int    accepted updates so far (t)
///   Trained[s] int    1 when the parameter is updated by the current step (uploaded when the set changes)
///   Bias[2s]   float  1 / (1 - beta1^t);  Bias[2s + 1] = 1 / sqrt(1 - beta2^t)   (Adam's bias corrections)
/// <see cref="Advance"/> (<c>optimizer_advance.comp</c>, one dispatch per step) runs before the update kernels.
/// Owns its three buffers. GL thread only.
/// </summary>
internal sealed class ParameterStepCounters : IDisposable
{
    private readonly GpuContext _context;
    private readonly int _slots;
    private readonly int[] _trainedOnGpu;
    private GpuBuffer? _steps, _trained, _bias;

    public ParameterStepCounters(GpuContext context, int slots)
    {
        _context = context;
        _slots = slots;
        _trainedOnGpu = new int[slots];
    }

    /// <summary>[2 * slots] bias corrections left by the last <see cref="Advance"/> (Adam binds it).</summary>
    public GpuBuffer Bias
    {
        get
        {
            EnsureBuffers();
            return _bias!;
        }
    }

    /// <summary>
    /// Counts this step for every slot with <paramref name="trained"/>[s] when <paramref name="status"/>[2]
    /// (accepted) is not 0, then writes the bias corrections for the betas given (0, 0 gives 1, 1).
    /// </summary>
    public void Advance(ReadOnlySpan<bool> trained, GpuBuffer status, float beta1, float beta2)
    {
        EnsureBuffers();
        bool changed = false;
        for (int s = 0; s < _slots; s++)
        {
            int value = trained[s] ? 1 : 0;
            changed |= _trainedOnGpu[s] != value;
            _trainedOnGpu[s] = value;
        }
        if (changed) _trained!.Upload<int>(_trainedOnGpu);
        _context.Programs.Get("optimizer_advance.comp")
            .Set("slots", _slots).Set("beta1", beta1).Set("beta2", beta2)
            .Bind(0, _steps!).Bind(1, _trained!).Bind(2, status).Bind(3, _bias!)
            .DispatchLinear(_slots);
    }

    /// <summary>Every slot's accepted update count, read back (waits for the GPU; for checkpoints).</summary>
    public int[] Read()
    {
        var values = new int[_slots];
        if (_steps is not null) _steps.Download<int>(values);
        return values;
    }

    /// <summary>Sets one slot's count (restoring a checkpoint).</summary>
    public void Set(int slot, long steps)
    {
        if (steps > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"A parameter's update count must be at most {int.MaxValue}; got {steps}.");
        EnsureBuffers();
        _steps!.Upload<int>([(int)steps], slot);
    }

    private void EnsureBuffers()
    {
        if (_steps is not null) return;
        int size = Math.Max(1, _slots);
        _steps = new GpuBuffer(_context, size);
        _steps.Upload<int>(new int[size]);
        _trained = new GpuBuffer(_context, size);
        _trained.Upload<int>(new int[size]);
        _bias = new GpuBuffer(_context, 2 * size);
        _bias.Upload<float>(Enumerable.Repeat(1f, 2 * size).ToArray());
    }

    public void Dispose()
    {
        _steps?.Dispose();
        _trained?.Dispose();
        _bias?.Dispose();
        _steps = _trained = _bias = null;
    }
}
