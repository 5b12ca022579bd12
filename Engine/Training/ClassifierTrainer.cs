using System.Diagnostics;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Losses;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Engine.Training;

/// <summary>
/// Mini-batch training of an image classifier (model output [N, K] logits) with fused softmax
/// cross-entropy, entirely on the GPU: per step the batch is uploaded, and forward, loss, accuracy,
/// backward, the optimizer's guarded update and the epoch's running figures run as kernels — nothing
/// is read back inside a step (<see cref="TrainingMetrics"/> is read every
/// <see cref="FitOptions.ProgressInterval"/> and at the end of each epoch). A step whose loss or
/// gradient is NaN/Inf is rejected on the GPU (<see cref="Optimizer.GuardedStep"/>): the weights and
/// optimizer state stay untouched, the gradients are zeroed, it is counted, logged when the figures
/// are next read, and training continues. Resumable: <see cref="SaveCheckpoint"/> / <see cref="LoadCheckpoint"/>.
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    private readonly SoftmaxCrossEntropyLoss _loss = new();
    private readonly Dictionary<int, (Tensor Input, ClassLabels Labels, Tensor GradLogits)> _batches = [];
    private readonly Tensor _stepLoss;
    private readonly GpuBuffer _stepCorrect;
    private readonly TrainingMetrics _metrics;

    public ClassifierTrainer(Model model, Optimizer optimizer, FitOptions? options = null)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options ?? new FitOptions();
        Options.Validate();
        if (optimizer.Parameters.Count == 0)
            throw new ArgumentException($"{optimizer.GetType().Name} has no parameters: nothing would train.", nameof(optimizer));
        _stepLoss = new Tensor(model.Context, new TensorShape(1));
        _stepCorrect = new GpuBuffer(model.Context, 1);
        _metrics = new TrainingMetrics(model.Context);
    }

    public Model Model { get; }
    public Optimizer Optimizer { get; }
    public FitOptions Options { get; }
    public List<ITrainingCallback> Callbacks { get; } = [];

    /// <summary>Raised after every step (on the GL thread).</summary>
    public event Action<StepReport>? StepCompleted;
    /// <summary>Raised after every epoch, before callbacks run.</summary>
    public event Action<EpochReport>? EpochCompleted;
    /// <summary>Messages about rejected steps (raised when the figures are read back) and similar events.</summary>
    public event Action<string>? Log;

    /// <summary>
    /// Trains from epoch <paramref name="startEpoch"/> (0 for a fresh run; a resumed run passes the
    /// value <see cref="LoadCheckpoint"/> returned) to <see cref="FitOptions.Epochs"/>.
    /// </summary>
    public FitResult Fit(LabeledImages train, LabeledImages? validation = null, int startEpoch = 0)
    {
        if (validation is null && Options.ValidationSplit > 0) (train, validation) = DataSplit.Holdout(train, Options.ValidationSplit, Options.Seed);
        var sampler = new BatchSampler(train, Options.BatchSize, Options.Shuffle, Options.Seed);
        var pixels = new float[Options.BatchSize * train.SampleShape.ElementCount];
        var labels = new int[Options.BatchSize];
        var history = new List<EpochReport>();
        int totalRejected = 0;
        bool stopped = false;
        for (int epoch = startEpoch; epoch < Options.Epochs && !stopped; epoch++)
        {
            var clock = Stopwatch.StartNew();
            int[] order = sampler.Order(epoch);
            _metrics.Reset();
            var figures = new EpochFigures(this, epoch + 1);
            for (int b = 0; b < sampler.BatchCount; b++)
            {
                int count = sampler.Fill(order, b, pixels, labels);
                TrainStep(pixels, labels, count, train.SampleShape, b + 1);
                if (b + 1 == sampler.BatchCount || clock.Elapsed - figures.ReadAt >= Options.ProgressInterval) figures.Read(clock.Elapsed);
                double rate = (b + 1) * (double)Options.BatchSize / clock.Elapsed.TotalSeconds;
                var remaining = TimeSpan.FromSeconds((sampler.BatchCount - b - 1) * clock.Elapsed.TotalSeconds / (b + 1));
                TrainingMetricsSnapshot last = figures.Last;
                StepCompleted?.Invoke(new StepReport(epoch + 1, b + 1, sampler.BatchCount, last.MeanLoss, last.Rejected, last.Steps, rate, remaining));
            }
            double seconds = clock.Elapsed.TotalSeconds;
            TrainingMetricsSnapshot done = figures.Last;
            Evaluation? val = validation is null ? null : Evaluate(validation);
            var report = new EpochReport(epoch + 1, Options.Epochs, done.MeanLoss, done.Accuracy,
                val?.Loss, val?.Accuracy, train.Count / seconds, seconds, Optimizer.LearningRate, done.Rejected);
            totalRejected += done.Rejected;
            history.Add(report);
            EpochCompleted?.Invoke(report);
            foreach (ITrainingCallback callback in Callbacks)
                if (!callback.OnEpochEnd(this, report)) stopped = true;
        }
        return new FitResult(history, stopped, totalRejected);
    }

    /// <summary>
    /// One guarded optimizer step on a batch, all on the GPU: loss and correct count into one-element buffers,
    /// backward, <see cref="Optimizer.GuardedStep"/> (rejects a NaN/Inf loss or gradient), and the epoch's figures.
    /// </summary>
    private void TrainStep(float[] pixels, int[] labels, int count, TensorShape sampleShape, int stepNumber)
    {
        var (input, classLabels, gradLogits) = BatchTensors(count, sampleShape);
        input.Upload(pixels.AsSpan(0, input.ElementCount));
        classLabels.Set(labels.AsSpan(0, count));
        Tensor logits = Model.Forward(input, training: true);
        _loss.Forward(logits, classLabels, _stepLoss);
        ClassificationAccuracy.CountCorrect(logits, classLabels, _stepCorrect);
        Tensor grad = EnsureGrad(ref gradLogits, count, logits.Shape);
        _loss.Backward(logits, classLabels, grad);
        Model.Backward(grad);
        Optimizer.GuardedStep(_stepLoss);
        _metrics.Record(_stepLoss, _stepCorrect, Optimizer.StepStatus, count, stepNumber);
    }

    /// <summary>The epoch's figures as last read back, and the log lines for rejections not yet reported.</summary>
    private sealed class EpochFigures(ClassifierTrainer trainer, int epoch)
    {
        private int _logged;

        public TrainingMetricsSnapshot Last { get; private set; } = new(0, 0, 0, 0, 0, []);
        public TimeSpan ReadAt { get; private set; }

        public void Read(TimeSpan now)
        {
            Last = trainer._metrics.Read();
            ReadAt = now;
            for (; _logged < Last.Rejected; _logged++)
                trainer.Log?.Invoke(_logged < Last.RejectedSteps.Count
                    ? $"epoch {epoch} step {Last.RejectedSteps[_logged]}: non-finite loss or gradient; step rejected, weights unchanged."
                    : $"epoch {epoch}: another step rejected (non-finite loss or gradient); weights unchanged.");
        }
    }

    /// <summary>Loss, accuracy and confusion matrix over <paramref name="data"/> in inference mode.</summary>
    public Evaluation Evaluate(LabeledImages data)
    {
        var sampler = new BatchSampler(data, Options.EvaluationBatchSize, shuffle: false, seed: 0);
        int[] order = sampler.Order(0);
        var pixels = new float[Options.EvaluationBatchSize * data.SampleShape.ElementCount];
        var labels = new int[Options.EvaluationBatchSize];
        var confusion = new int[data.ClassCount, data.ClassCount];
        double lossSum = 0;
        int correct = 0;
        for (int b = 0; b < sampler.BatchCount; b++)
        {
            int count = sampler.Fill(order, b, pixels, labels);
            var (input, classLabels, _) = BatchTensors(count, data.SampleShape);
            input.Upload(pixels.AsSpan(0, input.ElementCount));
            classLabels.Set(labels.AsSpan(0, count));
            Tensor logits = Model.Forward(input, training: false);
            lossSum += _loss.Forward(logits, classLabels) * count;
            int[] predicted = ClassificationAccuracy.ArgMax(logits);
            for (int i = 0; i < count; i++)
            {
                confusion[labels[i], predicted[i]]++;
                if (predicted[i] == labels[i]) correct++;
            }
        }
        return new Evaluation(lossSum / data.Count, (double)correct / data.Count, data.Count, confusion);
    }

    /// <summary>Saves weights, statistics, optimizer state and the number of finished epochs (atomic).</summary>
    public void SaveCheckpoint(string path, int finishedEpochs) => TrainingCheckpoint.Save(path, Model, Optimizer, finishedEpochs);

    /// <summary>Restores a checkpoint saved by <see cref="SaveCheckpoint"/>; returns the epoch to resume from.</summary>
    public int LoadCheckpoint(string path) => TrainingCheckpoint.Load(path, Model, Optimizer);

    private (Tensor Input, ClassLabels Labels, Tensor GradLogits) BatchTensors(int count, TensorShape sampleShape)
    {
        if (_batches.TryGetValue(count, out var cached)) return cached;
        var created = (new Tensor(Model.Context, new TensorShape([count, .. sampleShape.Dimensions])),
            new ClassLabels(Model.Context, new int[count]), (Tensor)null!);
        _batches[count] = created;
        return created;
    }

    private Tensor EnsureGrad(ref Tensor gradLogits, int count, TensorShape shape)
    {
        if (gradLogits is not null && gradLogits.Shape == shape) return gradLogits;
        gradLogits?.Dispose();
        gradLogits = new Tensor(Model.Context, shape);
        _batches[count] = (_batches[count].Input, _batches[count].Labels, gradLogits);
        return gradLogits;
    }

    public void Dispose()
    {
        foreach (var (input, labels, grad) in _batches.Values)
        {
            input.Dispose();
            labels.Dispose();
            grad?.Dispose();
        }
        _batches.Clear();
        _stepLoss.Dispose();
        _stepCorrect.Dispose();
        _metrics.Dispose();
    }
}
