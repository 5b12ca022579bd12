using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Reference;

/// <summary>
/// The element-wise activations in double precision, written from their textbook definitions and
/// independently of <c>activations.glsl</c>: derivatives are taken with respect to x (the GPU uses the
/// output y for Sigmoid and Tanh), ELU uses expm1, Softplus log1p, Tanh's derivative is 1/cosh^2.
/// Randomized kinds redraw the GPU's slopes / noise with <see cref="CounterRandom"/> keyed by
/// (seed, flat index); in inference they become their expectation-free forms written out here
/// (RRelu: slope (lower + upper) / 2; NoisyRelu: ReLU).
/// </summary>
public static class ActivationReference
{
    public static double[] Forward(double[] x, ActivationOptions o, bool training)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Value(x[i], i, o, training);
        return y;
    }

    /// <summary>dx[i] = dy[i] * f'(x[i]).</summary>
    public static double[] Backward(double[] x, double[] dy, ActivationOptions o, bool training)
    {
        var dx = new double[x.Length];
        for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * Derivative(x[i], i, o, training);
        return dx;
    }

    /// <summary>RRelu's negative slope for element i in training: lower + (upper - lower) * U(seed, i).</summary>
    public static double RReluSlope(ActivationOptions o, int i) =>
        o.Lower + ((double)o.Upper - o.Lower) * CounterRandom.Uniform(o.Seed, (uint)i);

    /// <summary>NoisyRelu's additive noise for element i in training: sigma * N(seed, i).</summary>
    public static double Noise(ActivationOptions o, int i) => o.Sigma * CounterRandom.Normal(o.Seed, (uint)i);

    /// <summary>f(x) for element i.</summary>
    public static double Value(double x, int i, ActivationOptions o, bool training)
    {
        double alpha = o.Alpha, beta = o.Beta;
        switch (o.Kind)
        {
            case ActivationKind.Identity: return x;
            case ActivationKind.Relu: return Math.Max(0, x);
            case ActivationKind.LeakyRelu: return x < 0 ? alpha * x : x;
            case ActivationKind.RRelu:
                double slope = training ? RReluSlope(o, i) : ((double)o.Lower + o.Upper) / 2;
                return x < 0 ? slope * x : x;
            case ActivationKind.NoisyRelu: return Math.Max(0, training ? x + Noise(o, i) : x);
            case ActivationKind.Elu: return x < 0 ? alpha * double.ExpM1(x) : x;
            case ActivationKind.Selu: return o.Scale * (x < 0 ? alpha * double.ExpM1(x) : x);
            case ActivationKind.Sigmoid: return 1 / (1 + Math.Exp(-x));
            case ActivationKind.Tanh: return Math.Tanh(x);
            case ActivationKind.Softplus: return x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));
            case ActivationKind.Softsign: return x / (1 + Math.Abs(x));
            case ActivationKind.Relu6: return Math.Min(6, Math.Max(0, x));
            case ActivationKind.Clip: return Math.Min(o.Max, Math.Max(o.Min, x));
            case ActivationKind.HardSigmoid: return Math.Min(1, Math.Max(0, alpha * x + beta));
            case ActivationKind.Neg: return -x;
            case ActivationKind.Abs: return Math.Abs(x);
            case ActivationKind.Exp: return Math.Exp(x);
            case ActivationKind.Log: return Math.Log(x);
            case ActivationKind.Sqrt: return Math.Sqrt(x);
            default: throw new ArgumentOutOfRangeException(nameof(o), o.Kind, "Unknown activation kind.");
        }
    }

    /// <summary>f'(x) for element i; at a kink the convention of the engine (0 at a ReLU's 0 and at clip bounds).</summary>
    public static double Derivative(double x, int i, ActivationOptions o, bool training)
    {
        double alpha = o.Alpha;
        switch (o.Kind)
        {
            case ActivationKind.Identity: return 1;
            case ActivationKind.Relu: return x > 0 ? 1 : 0;
            case ActivationKind.LeakyRelu: return x > 0 ? 1 : alpha;
            case ActivationKind.RRelu: return x > 0 ? 1 : training ? RReluSlope(o, i) : ((double)o.Lower + o.Upper) / 2;
            case ActivationKind.NoisyRelu: return (training ? x + Noise(o, i) : x) > 0 ? 1 : 0;
            case ActivationKind.Elu: return x > 0 ? 1 : alpha * Math.Exp(x);
            case ActivationKind.Selu: return o.Scale * (x > 0 ? 1 : alpha * Math.Exp(x));
            case ActivationKind.Sigmoid:
                double s = 1 / (1 + Math.Exp(-x));
                return s * (1 - s);
            case ActivationKind.Tanh:
                double cosh = Math.Cosh(x);
                return 1 / (cosh * cosh);
            case ActivationKind.Softplus: return 1 / (1 + Math.Exp(-x));
            case ActivationKind.Softsign: return 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
            case ActivationKind.Relu6: return x > 0 && x < 6 ? 1 : 0;
            case ActivationKind.Clip: return x > o.Min && x < o.Max ? 1 : 0;
            case ActivationKind.HardSigmoid:
                double z = alpha * x + o.Beta;
                return z > 0 && z < 1 ? alpha : 0;
            case ActivationKind.Neg: return -1;
            case ActivationKind.Abs: return Math.Sign(x);
            case ActivationKind.Exp: return Math.Exp(x);
            case ActivationKind.Log: return 1 / x;
            case ActivationKind.Sqrt: return 0.5 / Math.Sqrt(x);
            default: throw new ArgumentOutOfRangeException(nameof(o), o.Kind, "Unknown activation kind.");
        }
    }
}
