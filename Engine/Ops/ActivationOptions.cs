using System.Globalization;

namespace VisionPlugin.Engine;

/// <summary>
/// Which element-wise activation to run and its hyper-parameters. Immutable; build one with a
/// factory (<see cref="LeakyRelu"/>, <see cref="Clip"/>, ...) or <see cref="For"/>, which fill in
/// the usual defaults, and derive variants with <c>with</c>. Each kind reads only its own fields:
/// <list type="bullet">
/// <item>LeakyRelu: <see cref="Alpha"/> (negative slope). Elu: <see cref="Alpha"/>. Selu: <see cref="Alpha"/>, <see cref="Scale"/>.</item>
/// <item>HardSigmoid: <see cref="Alpha"/>, <see cref="Beta"/> (y = clamp(alpha * x + beta, 0, 1)).</item>
/// <item>Clip: <see cref="Min"/>, <see cref="Max"/>. RRelu: <see cref="Lower"/>, <see cref="Upper"/>, <see cref="Seed"/>.
/// NoisyRelu: <see cref="Sigma"/>, <see cref="Seed"/>.</item>
/// </list>
/// Randomized kinds draw from the counter RNG (<see cref="CounterRandom"/>) keyed by (Seed, flat
/// element index): Backward recomputes the same slopes or noise from the same options, so no mask is
/// stored. Use a new seed for every training step, and the same one for its forward and backward.
/// </summary>
public sealed record ActivationOptions
{
    /// <summary>SELU's alpha (Klambauer et al. 2017).</summary>
    public const float SeluAlpha = 1.6732632423543772f;
    /// <summary>SELU's scale (lambda).</summary>
    public const float SeluScale = 1.0507009873554805f;

    public ActivationKind Kind { get; init; }
    /// <summary>LeakyRelu negative slope, Elu/Selu alpha, HardSigmoid slope.</summary>
    public float Alpha { get; init; }
    /// <summary>HardSigmoid offset.</summary>
    public float Beta { get; init; }
    /// <summary>Selu scale.</summary>
    public float Scale { get; init; } = 1f;
    /// <summary>Clip lower bound (may be negative infinity).</summary>
    public float Min { get; init; }
    /// <summary>Clip upper bound (may be positive infinity).</summary>
    public float Max { get; init; }
    /// <summary>RRelu lowest negative slope.</summary>
    public float Lower { get; init; }
    /// <summary>RRelu highest negative slope.</summary>
    public float Upper { get; init; }
    /// <summary>NoisyRelu noise standard deviation.</summary>
    public float Sigma { get; init; }
    /// <summary>Random stream of RRelu and NoisyRelu in training.</summary>
    public uint Seed { get; init; }

    public static ActivationOptions Identity() => new() { Kind = ActivationKind.Identity };
    public static ActivationOptions Relu() => new() { Kind = ActivationKind.Relu };
    public static ActivationOptions LeakyRelu(float alpha = 0.01f) => Checked(new() { Kind = ActivationKind.LeakyRelu, Alpha = alpha });
    public static ActivationOptions RRelu(float lower = 1f / 8, float upper = 1f / 3, uint seed = 0) =>
        Checked(new() { Kind = ActivationKind.RRelu, Lower = lower, Upper = upper, Seed = seed });
    public static ActivationOptions NoisyRelu(float sigma = 1f, uint seed = 0) =>
        Checked(new() { Kind = ActivationKind.NoisyRelu, Sigma = sigma, Seed = seed });
    public static ActivationOptions Elu(float alpha = 1f) => Checked(new() { Kind = ActivationKind.Elu, Alpha = alpha });
    public static ActivationOptions Selu() => new() { Kind = ActivationKind.Selu, Alpha = SeluAlpha, Scale = SeluScale };
    public static ActivationOptions Sigmoid() => new() { Kind = ActivationKind.Sigmoid };
    public static ActivationOptions Tanh() => new() { Kind = ActivationKind.Tanh };
    public static ActivationOptions Softplus() => new() { Kind = ActivationKind.Softplus };
    public static ActivationOptions Softsign() => new() { Kind = ActivationKind.Softsign };
    public static ActivationOptions Relu6() => new() { Kind = ActivationKind.Relu6, Min = 0f, Max = 6f };
    public static ActivationOptions Clip(float min, float max) => Checked(new() { Kind = ActivationKind.Clip, Min = min, Max = max });
    public static ActivationOptions HardSigmoid(float alpha = 0.2f, float beta = 0.5f) =>
        Checked(new() { Kind = ActivationKind.HardSigmoid, Alpha = alpha, Beta = beta });

    public static ActivationOptions Neg() => new() { Kind = ActivationKind.Neg };
    public static ActivationOptions Abs() => new() { Kind = ActivationKind.Abs };
    public static ActivationOptions Exp() => new() { Kind = ActivationKind.Exp };
    public static ActivationOptions Log() => new() { Kind = ActivationKind.Log };
    public static ActivationOptions Sqrt() => new() { Kind = ActivationKind.Sqrt };

    /// <summary>The kind with its usual defaults (Clip: the whole real line, i.e. identity with gradient 1).</summary>
    public static ActivationOptions For(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => Identity(),
        ActivationKind.Relu => Relu(),
        ActivationKind.LeakyRelu => LeakyRelu(),
        ActivationKind.RRelu => RRelu(),
        ActivationKind.NoisyRelu => NoisyRelu(),
        ActivationKind.Elu => Elu(),
        ActivationKind.Selu => Selu(),
        ActivationKind.Sigmoid => Sigmoid(),
        ActivationKind.Tanh => Tanh(),
        ActivationKind.Softplus => Softplus(),
        ActivationKind.Softsign => Softsign(),
        ActivationKind.Relu6 => Relu6(),
        ActivationKind.Clip => Clip(float.NegativeInfinity, float.PositiveInfinity),
        ActivationKind.HardSigmoid => HardSigmoid(),
        ActivationKind.Neg => Neg(),
        ActivationKind.Abs => Abs(),
        ActivationKind.Exp => Exp(),
        ActivationKind.Log => Log(),
        ActivationKind.Sqrt => Sqrt(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown activation kind {(int)kind}."),
    };

    /// <summary>Throws when the fields this kind reads are out of range; the message names the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is NaN, infinite where it must be finite, or out of order.</exception>
    public void Validate()
    {
        switch (Kind)
        {
            case ActivationKind.Identity or ActivationKind.Relu or ActivationKind.Sigmoid or ActivationKind.Tanh
                or ActivationKind.Softplus or ActivationKind.Softsign or ActivationKind.Relu6
                or ActivationKind.Neg or ActivationKind.Abs or ActivationKind.Exp or ActivationKind.Log or ActivationKind.Sqrt:
                break;
            case ActivationKind.LeakyRelu or ActivationKind.Elu:
                RequireFinite("alpha", Alpha);
                break;
            case ActivationKind.Selu:
                RequireFinite("alpha", Alpha);
                RequireFinite("scale", Scale);
                break;
            case ActivationKind.HardSigmoid:
                RequireFinite("alpha", Alpha);
                RequireFinite("beta", Beta);
                break;
            case ActivationKind.Clip:
                if (float.IsNaN(Min) || float.IsNaN(Max) || Min > Max)
                    throw Invalid($"needs min <= max (neither NaN); got min {F(Min)}, max {F(Max)}");
                break;
            case ActivationKind.RRelu:
                RequireFinite("lower", Lower);
                RequireFinite("upper", Upper);
                if (Lower < 0 || Lower > Upper)
                    throw Invalid($"needs 0 <= lower <= upper; got lower {F(Lower)}, upper {F(Upper)}");
                break;
            case ActivationKind.NoisyRelu:
                RequireFinite("sigma", Sigma);
                if (Sigma < 0) throw Invalid($"needs sigma >= 0; got sigma {F(Sigma)}");
                break;
            default:
                throw new ArgumentOutOfRangeException("options", $"Unknown activation kind {(int)Kind}.");
        }
    }

    /// <summary>The kind and the parameters it reads, e.g. <c>RRelu(lower 0.125, upper 0.333333343, seed 7)</c>.</summary>
    public override string ToString() => Kind switch
    {
        ActivationKind.LeakyRelu or ActivationKind.Elu => $"{Kind}(alpha {F(Alpha)})",
        ActivationKind.Selu => $"{Kind}(alpha {F(Alpha)}, scale {F(Scale)})",
        ActivationKind.HardSigmoid => $"{Kind}(alpha {F(Alpha)}, beta {F(Beta)})",
        ActivationKind.Clip => $"{Kind}(min {F(Min)}, max {F(Max)})",
        ActivationKind.RRelu => $"{Kind}(lower {F(Lower)}, upper {F(Upper)}, seed {Seed})",
        ActivationKind.NoisyRelu => $"{Kind}(sigma {F(Sigma)}, seed {Seed})",
        _ => Kind.ToString(),
    };

    private static ActivationOptions Checked(ActivationOptions options)
    {
        options.Validate();
        return options;
    }

    private void RequireFinite(string name, float value)
    {
        if (!float.IsFinite(value)) throw Invalid($"needs a finite {name}; got {name} {F(value)}");
    }

    private ArgumentOutOfRangeException Invalid(string what) => new("options", $"{Kind} {what}.");

    private static string F(float value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
