using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>One element-wise activation test case: options, mode, tensor shape and input range.</summary>
public sealed record ActivationCase(string Name, ActivationOptions Options, bool Training, int[] Dimensions, double Range)
{
    public TensorShape Shape => new(Dimensions);

    /// <summary>"name: LeakyRelu(alpha 0.2), training" — the parameters string of failure messages.</summary>
    public string Parameters => $"{Name}: {Options}, {(Training ? "training" : "inference")}";

    /// <summary>
    /// Points where f is not differentiable (or its derivative jumps): 0 for every ReLU-like kind, the
    /// bounds of Clip / ReLU6 and the corners of HardSigmoid. For NoisyRelu in training the kink of
    /// element i is at -noise_i, which <see cref="Input"/> handles separately.
    /// </summary>
    public IReadOnlyList<double> Kinks
    {
        get
        {
            ActivationOptions o = Options;
            var kinks = new List<double> { 0 };
            if (o.Kind == ActivationKind.Relu6) kinks.Add(6);
            if (o.Kind == ActivationKind.Clip) kinks.AddRange(new double[] { o.Min, o.Max }.Where(double.IsFinite));
            if (o.Kind == ActivationKind.HardSigmoid && o.Alpha != 0)
                kinks.AddRange([-(double)o.Beta / o.Alpha, (1 - (double)o.Beta) / o.Alpha]);
            return kinks;
        }
    }

    /// <summary>
    /// Seeded inputs in [-Range, Range], rounded to float, at least <paramref name="margin"/> from every
    /// kink so finite differences never straddle one and float rounding never flips a branch.
    /// NoisyRelu in training: x_i = z_i - noise_i with z_i away from 0, so x_i + noise_i keeps its distance.
    /// </summary>
    public double[] Input(int seed, double margin = 0.05)
    {
        var random = new Random(seed);
        int count = Shape.ElementCount;
        var x = new double[count];
        IReadOnlyList<double> kinks = Kinks;
        for (int i = 0; i < count; i++)
        {
            double v;
            do v = Range * (2 * random.NextDouble() - 1);
            while (kinks.Any(k => Math.Abs(v - k) < margin));
            x[i] = v;
        }
        if (Options.Kind is ActivationKind.Log or ActivationKind.Sqrt)   // defined for x > 0 only: fold onto [0.1, Range + 0.1]
            for (int i = 0; i < count; i++) x[i] = Math.Abs(x[i]) + 0.1;
        if (Options.Kind == ActivationKind.NoisyRelu && Training)
            for (int i = 0; i < count; i++) x[i] -= ActivationReference.Noise(Options, i);
        return TestData.RoundToFloat(x);
    }
}

/// <summary>The table of element-wise activation cases every kind is proven on.</summary>
public static class ActivationCases
{
    private static readonly int[] Odd = [2, 3, 7, 5];

    public static readonly IReadOnlyList<ActivationCase> All =
    [
        new("identity", ActivationOptions.Identity(), false, Odd, 3),
        new("relu", ActivationOptions.Relu(), false, Odd, 3),
        new("relu rank 1", ActivationOptions.Relu(), true, [13], 3),
        new("leaky relu default", ActivationOptions.LeakyRelu(), false, Odd, 3),
        new("leaky relu 0.2 rank 2", ActivationOptions.LeakyRelu(0.2f), true, [3, 5], 3),
        new("rrelu training default seed 7", ActivationOptions.RRelu(seed: 7), true, Odd, 3),
        new("rrelu training 0.05..0.6 seed 1234", ActivationOptions.RRelu(0.05f, 0.6f, 1234), true, Odd, 3),
        new("rrelu training lower = upper", ActivationOptions.RRelu(0.25f, 0.25f, 5), true, Odd, 3),
        new("rrelu inference", ActivationOptions.RRelu(seed: 7), false, Odd, 3),
        new("noisy relu training sigma 1 seed 3", ActivationOptions.NoisyRelu(1f, 3), true, Odd, 2),
        new("noisy relu training sigma 0.1 seed 99", ActivationOptions.NoisyRelu(0.1f, 99), true, Odd, 2),
        new("noisy relu training sigma 0", ActivationOptions.NoisyRelu(0f, 1), true, Odd, 2),
        new("noisy relu inference", ActivationOptions.NoisyRelu(1f, 3), false, Odd, 2),
        new("elu alpha 1", ActivationOptions.Elu(), false, Odd, 4),
        new("elu alpha 0.5", ActivationOptions.Elu(0.5f), true, Odd, 4),
        new("selu", ActivationOptions.Selu(), false, Odd, 4),
        new("sigmoid", ActivationOptions.Sigmoid(), false, Odd, 8),
        new("sigmoid 1x1x1x1", ActivationOptions.Sigmoid(), true, [1, 1, 1, 1], 8),
        new("tanh", ActivationOptions.Tanh(), false, Odd, 4),
        new("softplus", ActivationOptions.Softplus(), false, Odd, 8),
        new("softsign", ActivationOptions.Softsign(), false, Odd, 5),
        new("relu6", ActivationOptions.Relu6(), false, Odd, 8),
        new("clip -0.5..0.7", ActivationOptions.Clip(-0.5f, 0.7f), false, Odd, 1.5),
        new("clip min = max", ActivationOptions.Clip(0.3f, 0.3f), false, Odd, 1.5),
        new("clip unbounded", ActivationOptions.For(ActivationKind.Clip), false, Odd, 3),
        new("hard sigmoid onnx", ActivationOptions.HardSigmoid(), false, Odd, 4),
        new("hard sigmoid 1/6 (PyTorch)", ActivationOptions.HardSigmoid(1f / 6, 0.5f), true, Odd, 5),
        new("neg", ActivationOptions.Neg(), false, Odd, 3),
        new("abs", ActivationOptions.Abs(), true, Odd, 3),
        new("exp", ActivationOptions.Exp(), false, Odd, 3),
        new("log (x > 0)", ActivationOptions.Log(), false, Odd, 3),
        new("sqrt (x > 0)", ActivationOptions.Sqrt(), false, Odd, 3),
    ];

    public static ActivationCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>Case names as theory data (strings, so every case is its own test in the runner).</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (ActivationCase c in All) data.Add(c.Name);
            return data;
        }
    }
}
