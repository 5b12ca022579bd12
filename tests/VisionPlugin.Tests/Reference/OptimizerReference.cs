using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Tests.Reference;

/// <summary>Which update rule <see cref="OptimizerReference"/> applies.</summary>
public enum OptimizerKind
{
    Sgd,
    Momentum,
    Nesterov,
    Adagrad,
    RmsProp,
    Adadelta,
    Adam,
    AdamW,
}

/// <summary>A parameter as the reference sees it: values, gradient and flags in double precision.</summary>
public sealed class ReferenceParameter(string name, double[] value, bool trainable = true, double learningRateScale = 1, bool decayWeights = true)
{
    public string Name { get; } = name;
    public double[] Value { get; } = value;
    public double[] Gradient { get; } = new double[value.Length];
    public bool Trainable { get; set; } = trainable;
    public double LearningRateScale { get; set; } = learningRateScale;
    public bool DecayWeights { get; } = decayWeights;
    /// <summary>State by slot name (PyTorch names), created on the first update.</summary>
    public Dictionary<string, double[]> State { get; } = new(StringComparer.Ordinal);
    public long Steps { get; set; }

    public double[] Slot(string name) => State.TryGetValue(name, out double[]? s) ? s : State[name] = new double[Value.Length];
}

/// <summary>
/// The optimizers written out in double precision, one element at a time, straight from the
/// published update rules (PyTorch's torch.optim documentation), to check the GPU kernels.
/// Hyper-parameters are read from the same option records the GPU optimizers take (as the floats
/// the GPU sees, widened to double).
/// </summary>
public sealed class OptimizerReference(OptimizerKind kind, OptimizerOptions options)
{
    public OptimizerKind Kind { get; } = kind;
    public double LearningRate { get; set; } = options.LearningRate;
    /// <summary>Global gradient norm of the last step (before clipping).</summary>
    public double LastNorm { get; private set; }

    public void Step(IReadOnlyList<ReferenceParameter> parameters)
    {
        var trainable = parameters.Where(p => p.Trainable).ToList();
        double scale = 1;
        if (options.Clipping.MaxNorm is float maxNorm)
        {
            double squares = trainable.Sum(p => p.Gradient.Sum(g => g * g));
            LastNorm = Math.Sqrt(squares);
            scale = Math.Min(1, maxNorm / (LastNorm + 1e-6));
        }
        foreach (ReferenceParameter p in trainable)
        {
            p.Steps++;
            double lr = LearningRate * p.LearningRateScale;
            double l1 = p.DecayWeights ? options.Regularization.L1 : 0;
            double l2 = p.DecayWeights ? options.Regularization.L2 : 0;
            for (int i = 0; i < p.Value.Length; i++)
            {
                double g = p.Gradient[i] * scale;
                if (options.Clipping.MaxValue is float maxValue) g = Math.Clamp(g, -(double)maxValue, maxValue);
                double penalty = l2 * p.Value[i] + l1 * Math.Sign(p.Value[i]);
                if (Kind == OptimizerKind.AdamW)
                    p.Value[i] -= lr * penalty;   // decoupled: straight onto the weights
                else
                    g += penalty;                 // coupled: through the gradient
                p.Value[i] = Update(p, i, g, lr);
            }
        }
        foreach (ReferenceParameter p in parameters) Array.Clear(p.Gradient);
    }

    /// <summary>The new value of element i after one update with (clipped, penalized) gradient g.</summary>
    private double Update(ReferenceParameter p, int i, double g, double lr)
    {
        double w = p.Value[i];
        switch (Kind)
        {
            case OptimizerKind.Sgd:
                return w - lr * g;
            case OptimizerKind.Momentum:
            {
                double mu = ((MomentumOptions)options).Momentum;
                double[] v = p.Slot("momentum_buffer");
                v[i] = mu * v[i] + g;
                return w - lr * v[i];
            }
            case OptimizerKind.Nesterov:
            {
                double mu = ((MomentumOptions)options).Momentum;
                double[] v = p.Slot("momentum_buffer");
                v[i] = mu * v[i] + g;
                return w - lr * (g + mu * v[i]);
            }
            case OptimizerKind.Adagrad:
            {
                double eps = ((AdagradOptions)options).Epsilon;
                double[] sum = p.Slot("sum");
                sum[i] += g * g;
                return w - lr * g / (Math.Sqrt(sum[i]) + eps);
            }
            case OptimizerKind.RmsProp:
                return RmsProp(p, i, g, lr, (RmsPropOptions)options);
            case OptimizerKind.Adadelta:
            {
                var o = (AdadeltaOptions)options;
                double rho = o.Rho, eps = o.Epsilon;
                double[] square = p.Slot("square_avg"), accDelta = p.Slot("acc_delta");
                square[i] = rho * square[i] + (1 - rho) * g * g;
                double delta = Math.Sqrt(accDelta[i] + eps) / Math.Sqrt(square[i] + eps) * g;
                accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
                return w - lr * delta;
            }
            case OptimizerKind.Adam:
            case OptimizerKind.AdamW:
                return Adam(p, i, g, lr, (AdamOptions)options);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null);
        }
    }

    private static double RmsProp(ReferenceParameter p, int i, double g, double lr, RmsPropOptions o)
    {
        double alpha = o.Alpha, eps = o.Epsilon, mu = o.Momentum;
        double[] square = p.Slot("square_avg");
        square[i] = alpha * square[i] + (1 - alpha) * g * g;
        double variance = square[i];
        if (o.Centered)
        {
            double[] mean = p.Slot("grad_avg");
            mean[i] = alpha * mean[i] + (1 - alpha) * g;
            variance = Math.Max(square[i] - mean[i] * mean[i], 0);
        }
        double avg = Math.Sqrt(variance) + eps;
        if (mu > 0)
        {
            double[] buffer = p.Slot("momentum_buffer");
            buffer[i] = mu * buffer[i] + g / avg;
            return p.Value[i] - lr * buffer[i];
        }
        return p.Value[i] - lr * g / avg;
    }

    private static double Adam(ReferenceParameter p, int i, double g, double lr, AdamOptions o)
    {
        double beta1 = o.Beta1, beta2 = o.Beta2, eps = o.Epsilon;
        double[] m = p.Slot("exp_avg"), v = p.Slot("exp_avg_sq");
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        double second = v[i];
        if (o.AmsGrad)
        {
            double[] vMax = p.Slot("max_exp_avg_sq");
            vMax[i] = Math.Max(vMax[i], v[i]);
            second = vMax[i];
        }
        double mHat = m[i] / (1 - Math.Pow(beta1, p.Steps));
        double vHat = second / (1 - Math.Pow(beta2, p.Steps));
        // PyTorch places eps after the bias correction of sqrt(v): sqrt(v) / sqrt(1 - b2^t) + eps.
        return p.Value[i] - lr * mHat / (Math.Sqrt(vHat) + eps);
    }
}
