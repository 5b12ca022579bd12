namespace VisionPlugin.Engine.Training;

/// <summary>
/// The running figures of a training epoch — loss sum, correct predictions, samples seen, rejected steps — kept
/// on the GPU (<c>training_metrics_record.comp</c>) so a training step reads nothing back; <see cref="Read"/>
/// fetches them once per progress report or epoch. A step counts as accepted or rejected by the
/// <see cref="Optimizers.Optimizer.StepStatus"/> its optimizer left (see <see cref="Optimizers.Optimizer.GuardedStep"/>).
/// Owns one small buffer. GL thread only.
/// </summary>
public sealed class TrainingMetrics : IDisposable
{
    /// <summary>How many rejected step numbers an epoch lists (later rejections are counted only).</summary>
    public const int MaxListedRejections = 64;

    private const int HeaderLength = 6;
    private readonly GpuContext _context;
    private readonly GpuBuffer _values;

    /// <summary>Allocates the accumulator (zero).</summary>
    public TrainingMetrics(GpuContext context)
    {
        _context = context;
        _values = new GpuBuffer(context, HeaderLength + MaxListedRejections);
        Reset();
    }

    /// <summary>Zeroes every figure (an upload; call at the start of an epoch).</summary>
    public void Reset() => _values.Upload<float>(new float[HeaderLength + MaxListedRejections]);

    /// <summary>
    /// Adds one step: when <paramref name="stepStatus"/>[2] says it was accepted, its loss (mean over the batch) times
    /// <paramref name="batchSize"/>, its correct-prediction count (<paramref name="correctCount"/>[0], when given) and
    /// its samples; otherwise it records <paramref name="stepNumber"/> as rejected. One dispatch, nothing read back.
    /// </summary>
    /// <param name="loss">The step's mean loss (one element, on the GPU).</param>
    /// <param name="correctCount">One float holding the batch's correct predictions, or null.</param>
    /// <param name="stepStatus">[scale, norm, accepted] from the optimizer's step.</param>
    /// <param name="batchSize">Samples in the batch.</param>
    /// <param name="stepNumber">The step's number within the epoch (1-based), listed when it is rejected.</param>
    public void Record(Tensor loss, GpuBuffer? correctCount, GpuBuffer stepStatus, int batchSize, int stepNumber)
    {
        if (loss.ElementCount != 1) throw new ArgumentException($"TrainingMetrics: the loss is one element; got a tensor {loss.Shape}.", nameof(loss));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _context.Programs.Get("training_metrics_record.comp")
            .Set("batch", batchSize).Set("step_number", stepNumber).Set("has_hits", correctCount is null ? 0 : 1).Set("max_listed", MaxListedRejections)
            .Bind(0, _values).Bind(1, loss).Bind(2, correctCount ?? loss.Buffer).Bind(3, stepStatus)
            .Dispatch(1);
    }

    /// <summary>The figures so far (waits for the GPU).</summary>
    public TrainingMetricsSnapshot Read()
    {
        var values = new float[HeaderLength + MaxListedRejections];
        _values.Download<float>(values);
        int rejected = (int)values[4];
        int[] listed = values.AsSpan(HeaderLength, Math.Min(rejected, MaxListedRejections)).ToArray().Select(v => (int)v).ToArray();
        return new TrainingMetricsSnapshot((double)values[0] - values[1], (int)values[2], (int)values[3], rejected, (int)values[5], listed);
    }

    /// <summary>Frees the buffer. Idempotent.</summary>
    public void Dispose() => _values.Dispose();
}

/// <summary>Figures of the steps recorded since the last <see cref="TrainingMetrics.Reset"/>.</summary>
/// <param name="LossSum">Sum over accepted steps of mean loss x batch size.</param>
/// <param name="Correct">Correct predictions in accepted steps.</param>
/// <param name="Seen">Samples in accepted steps.</param>
/// <param name="Rejected">Steps rejected (non-finite loss or gradient).</param>
/// <param name="Steps">Steps recorded, accepted or not.</param>
/// <param name="RejectedSteps">Numbers of the first <see cref="TrainingMetrics.MaxListedRejections"/> rejected steps.</param>
public sealed record TrainingMetricsSnapshot(double LossSum, int Correct, int Seen, int Rejected, int Steps, IReadOnlyList<int> RejectedSteps)
{
    /// <summary>Mean loss per sample of the accepted steps; NaN before any.</summary>
    public double MeanLoss => Seen > 0 ? LossSum / Seen : double.NaN;

    /// <summary>Fraction of correct predictions in the accepted steps; 0 before any.</summary>
    public double Accuracy => Seen > 0 ? (double)Correct / Seen : 0;
}
