using System.Diagnostics;
using VisionPlugin.Engine.Data;
using VisionPlugin.Engine.Losses;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Engine.Training;

/// <summary>
/// Mini-batch training of an image classifier (model output [N, K] logits) with fused softmax
/// cross-entropy, entirely on the GPU: per step the batch is uploaded, forward, loss, backward and
/// the optimizer update run as kernels, and two small results come back (the loss, and the
/// gradient norm used to reject non-finite steps). A step whose loss or gradient is NaN/Inf is
/// rejected: the gradients are zeroed, the weights stay untouched, it is logged and counted, and
/// training continues. Resumable: <see cref="SaveCheckpoint"/> / <see cref="LoadCheckpoint"/>.
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    private readonly SoftmaxCrossEntropyLoss _loss = new();
    private readonly GlobalGradientNorm _gradientNorm;
    private readonly Dictionary<int, (Tensor Input, ClassLabels Labels, Tensor GradLogits)> _batches = [];

    public ClassifierTrainer(Model model, Optimizer optimizer, FitOptions? options = null)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options ?? new FitOptions();
        Options.Validate();
        _gradientNorm = new GlobalGradientNorm(model.Context);
    }

    public Model Model { get; }
    public Optimizer Optimizer { get; }
    public FitOptions Options { get; }
    public List<ITrainingCallback> Callbacks { get; } = [];

    /// <summary>Raised after every step (on the GL thread).</summary>
    public event Action<StepReport>? StepCompleted;
    /// <summary>Raised after every epoch, before callbacks run.</summary>
    public event Action<EpochReport>? EpochCompleted;
    /// <summary>Messages about rejected steps and similar events.</summary>
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
            double lossSum = 0;
            int seen = 0, correct = 0, rejected = 0;
            for (int b = 0; b < sampler.BatchCount; b++)
            {
                int count = sampler.Fill(order, b, pixels, labels);
                var (loss, batchCorrect, ok) = TrainStep(pixels, labels, count, train.SampleShape);
                if (ok)
                {
                    lossSum += loss * count;
                    correct += batchCorrect;
                    seen += count;
                }
                else
                {
                    rejected++;
                    Log?.Invoke($"epoch {epoch + 1} step {b + 1}: non-finite loss or gradient ({loss}); step rejected, weights unchanged.");
                }
                double rate = (b + 1) * (double)Options.BatchSize / clock.Elapsed.TotalSeconds;
                var remaining = TimeSpan.FromSeconds((sampler.BatchCount - b - 1) * clock.Elapsed.TotalSeconds / (b + 1));
                StepCompleted?.Invoke(new StepReport(epoch + 1, b + 1, sampler.BatchCount, loss, !ok, rate, remaining));
            }
            double seconds = clock.Elapsed.TotalSeconds;
            Evaluation? val = validation is null ? null : Evaluate(validation);
            var report = new EpochReport(epoch + 1, Options.Epochs, seen > 0 ? lossSum / seen : double.NaN, seen > 0 ? (double)correct / seen : 0,
                val?.Loss, val?.Accuracy, train.Count / seconds, seconds, Optimizer.LearningRate, rejected);
            totalRejected += rejected;
            history.Add(report);
            EpochCompleted?.Invoke(report);
            foreach (ITrainingCallback callback in Callbacks)
                if (!callback.OnEpochEnd(this, report)) stopped = true;
        }
        return new FitResult(history, stopped, totalRejected);
    }

    /// <summary>One optimizer step on a batch; returns (loss, correct predictions, accepted).</summary>
    private (double Loss, int Correct, bool Accepted) TrainStep(float[] pixels, int[] labels, int count, TensorShape sampleShape)
    {
        var (input, classLabels, gradLogits) = BatchTensors(count, sampleShape);
        input.Upload(pixels.AsSpan(0, input.ElementCount));
        classLabels.Set(labels.AsSpan(0, count));
        Tensor logits = Model.Forward(input, training: true);
        float loss = _loss.Forward(logits, classLabels);
        int correct = ClassificationAccuracy.CountCorrect(logits, classLabels);
        if (!float.IsFinite(loss))
        {
            Model.ZeroGradients();
            return (loss, 0, false);
        }
        Tensor grad = EnsureGrad(ref gradLogits, count, logits.Shape);
        _loss.Backward(logits, classLabels, grad);
        Model.Backward(grad);
        var gradients = Optimizer.Parameters.Where(p => p.Trainable).Select(p => p.Gradient).ToList();
        if (gradients.Count > 0)
        {
            _gradientNorm.Compute(gradients, float.MaxValue);
            if (!float.IsFinite(_gradientNorm.ReadNorm()))
            {
                Model.ZeroGradients();
                return (double.NaN, 0, false);
            }
        }
        Optimizer.Step();
        return (loss, correct, true);
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
        _gradientNorm.Dispose();
    }
}
