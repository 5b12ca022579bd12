namespace VisionPlugin.Engine.Optimizers;

/// <summary>
/// The clip scale of global-norm clipping, computed and kept on the GPU:
///   pass 1 (<c>grad_norm_partials.comp</c>, once per gradient tensor): partial[o + s] = sum of g[i]^2 over slice s;
///   pass 2 (<c>grad_norm_scale.comp</c>, one work group): norm = sqrt(sum of all partials),
///           Result = [scale, norm, accepted] with scale = min(1, maxNorm / (norm + 1e-6)) and accepted = 1 when the
///           norm (and, when given, the loss) is finite, else 0.
/// The update kernels read Result[0] and Result[2]; nothing is read back unless <see cref="ReadNorm"/> is called.
/// Before any norm is computed Result holds [1, 0, 1], so binding it leaves gradients unscaled and the step accepted.
/// Owns both buffers.
/// </summary>
internal sealed class GlobalGradientNorm : IDisposable
{
    /// <summary>Shortest slice one invocation of pass 1 sums.</summary>
    private const int MinSlice = 256;
    /// <summary>Most slices per tensor (bounds the partial buffer at 1024 floats per parameter).</summary>
    private const int MaxSlicesPerTensor = 1024;

    private readonly GpuContext _context;
    private GpuBuffer? _partials;

    public GlobalGradientNorm(GpuContext context)
    {
        _context = context;
        Result = new GpuBuffer(context, 3);
        Result.Upload<float>([1f, 0f, 1f]);
    }

    /// <summary>[scale, norm, accepted] on the GPU.</summary>
    public GpuBuffer Result { get; }

    /// <summary>(slices, slice length) for a tensor of <paramref name="count"/> elements.</summary>
    public static (int Slices, int SliceLength) Plan(int count)
    {
        if (count <= 0) return (0, 1);
        int slices = Math.Clamp((count + MinSlice - 1) / MinSlice, 1, MaxSlicesPerTensor);
        int length = (count + slices - 1) / slices;
        return ((count + length - 1) / length, length);
    }

    /// <summary>
    /// Reduces the squared norm of every tensor in <paramref name="gradients"/> and writes [scale, norm, accepted];
    /// when <paramref name="guarded"/>, accepted = 0 if the norm or <paramref name="loss"/>[0] (when given) is NaN/Inf, else it is 1.
    /// </summary>
    public void Compute(IReadOnlyList<Tensor> gradients, float maxNorm, bool guarded, GpuBuffer? loss = null)
    {
        long total = 0;
        foreach (Tensor gradient in gradients) total += Plan(gradient.ElementCount).Slices;
        if (_partials is null || _partials.ElementCount < total)
        {
            _partials?.Dispose();
            _partials = new GpuBuffer(_context, Math.Max(total, 64));
        }
        ComputeProgram partialProgram = _context.Programs.Get("grad_norm_partials.comp");
        long offset = 0;
        foreach (Tensor gradient in gradients)
        {
            var (slices, length) = Plan(gradient.ElementCount);
            if (slices == 0) continue;
            partialProgram
                .Set("count", gradient.ElementCount).Set("slice_length", length).Set("slices", slices).Set("offset", (int)offset)
                .Bind(0, gradient).Bind(1, _partials)
                .DispatchLinear(slices);
            offset += slices;
        }
        _context.Programs.Get("grad_norm_scale.comp")
            .Set("partial_count", (int)offset).Set("max_norm", maxNorm).Set("check_loss", loss is null ? 0 : 1).Set("guarded", guarded ? 1 : 0)
            .Bind(0, _partials).Bind(1, Result).Bind(2, loss ?? _partials)
            .Dispatch(1);
    }

    /// <summary>The last norm (waits for the GPU).</summary>
    public float ReadNorm()
    {
        Span<float> values = stackalloc float[3];
        Result.Download(values);
        return values[1];
    }

    public void Dispose()
    {
        _partials?.Dispose();
        _partials = null;
        Result.Dispose();
    }
}
