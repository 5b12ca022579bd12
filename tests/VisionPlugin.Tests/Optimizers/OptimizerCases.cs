using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>The optimizer configurations the GPU tests run, by name, and how to build each one.</summary>
public static class OptimizerCases
{
    private static readonly Regularization L2 = Regularization.L2Penalty(0.05f);
    private static readonly Regularization L1 = Regularization.L1Penalty(0.02f);
    private static readonly Regularization Elastic = Regularization.ElasticNet(0.02f, 0.05f);

    /// <summary>Every algorithm with each penalty, plus the algorithm variants and clipping.</summary>
    public static IReadOnlyDictionary<string, (OptimizerKind Kind, OptimizerOptions Options)> All { get; } = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in All.Keys) data.Add(name);
        return data;
    }

    public static Optimizer Create(OptimizerKind kind, IReadOnlyList<Parameter> parameters, OptimizerOptions options) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, (SgdOptions)options),
        OptimizerKind.Momentum => new MomentumSgd(parameters, (MomentumOptions)options),
        OptimizerKind.Nesterov => new NesterovSgd(parameters, (MomentumOptions)options),
        OptimizerKind.Adagrad => new Adagrad(parameters, (AdagradOptions)options),
        OptimizerKind.RmsProp => new RmsProp(parameters, (RmsPropOptions)options),
        OptimizerKind.Adadelta => new Adadelta(parameters, (AdadeltaOptions)options),
        OptimizerKind.Adam => new Adam(parameters, (AdamOptions)options),
        OptimizerKind.AdamW => new AdamW(parameters, (AdamOptions)options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Dictionary<string, (OptimizerKind, OptimizerOptions)> Build()
    {
        var cases = new Dictionary<string, (OptimizerKind, OptimizerOptions)>(StringComparer.Ordinal);
        void AddWithPenalties(string name, OptimizerKind kind, OptimizerOptions options)
        {
            cases[name] = (kind, options);
            cases[name + " +L2"] = (kind, options with { Regularization = L2 });
            cases[name + " +L1"] = (kind, options with { Regularization = L1 });
            cases[name + " +elastic"] = (kind, options with { Regularization = Elastic });
        }
        AddWithPenalties("sgd", OptimizerKind.Sgd, new SgdOptions { LearningRate = 0.1f });
        AddWithPenalties("momentum", OptimizerKind.Momentum, new MomentumOptions { LearningRate = 0.05f, Momentum = 0.9f });
        AddWithPenalties("nesterov", OptimizerKind.Nesterov, new MomentumOptions { LearningRate = 0.05f, Momentum = 0.8f });
        AddWithPenalties("adagrad", OptimizerKind.Adagrad, new AdagradOptions { LearningRate = 0.1f });
        AddWithPenalties("rmsprop", OptimizerKind.RmsProp, new RmsPropOptions { LearningRate = 0.01f, Alpha = 0.9f });
        AddWithPenalties("adadelta", OptimizerKind.Adadelta, new AdadeltaOptions { LearningRate = 1f, Rho = 0.9f, Epsilon = 1e-4f });
        AddWithPenalties("adam", OptimizerKind.Adam, new AdamOptions { LearningRate = 0.01f });
        AddWithPenalties("adamw", OptimizerKind.AdamW, new AdamOptions { LearningRate = 0.01f });

        cases["rmsprop momentum"] = (OptimizerKind.RmsProp, new RmsPropOptions { LearningRate = 0.01f, Momentum = 0.7f });
        cases["rmsprop centered"] = (OptimizerKind.RmsProp, new RmsPropOptions { LearningRate = 0.01f, Alpha = 0.8f, Centered = true });
        cases["rmsprop centered momentum +L2"] = (OptimizerKind.RmsProp,
            new RmsPropOptions { LearningRate = 0.01f, Centered = true, Momentum = 0.5f, Regularization = L2 });
        cases["adam amsgrad"] = (OptimizerKind.Adam, new AdamOptions { LearningRate = 0.02f, Beta1 = 0.8f, Beta2 = 0.9f, AmsGrad = true });
        cases["adamw amsgrad +elastic"] = (OptimizerKind.AdamW,
            new AdamOptions { LearningRate = 0.02f, Beta2 = 0.95f, AmsGrad = true, Regularization = Elastic });
        cases["adamw defaults"] = (OptimizerKind.AdamW, AdamOptions.AdamWDefault with { LearningRate = 0.01f });

        cases["sgd clip norm"] = (OptimizerKind.Sgd, new SgdOptions { LearningRate = 0.1f, Clipping = GradientClipping.ByNorm(2f) });
        cases["momentum clip value +L2"] = (OptimizerKind.Momentum,
            new MomentumOptions { LearningRate = 0.05f, Clipping = GradientClipping.ByValue(0.4f), Regularization = L2 });
        cases["adam clip norm +L2"] = (OptimizerKind.Adam,
            new AdamOptions { LearningRate = 0.01f, Clipping = GradientClipping.ByNorm(1.5f), Regularization = L2 });
        cases["adamw clip norm and value"] = (OptimizerKind.AdamW,
            new AdamOptions { LearningRate = 0.01f, Clipping = new GradientClipping { MaxNorm = 3f, MaxValue = 0.3f }, Regularization = L2 });
        cases["rmsprop clip value"] = (OptimizerKind.RmsProp, new RmsPropOptions { LearningRate = 0.01f, Clipping = GradientClipping.ByValue(0.25f) });
        cases["adagrad clip norm +elastic"] = (OptimizerKind.Adagrad,
            new AdagradOptions { LearningRate = 0.1f, Clipping = GradientClipping.ByNorm(2.5f), Regularization = Elastic });
        cases["adadelta clip norm"] = (OptimizerKind.Adadelta, new AdadeltaOptions { Clipping = GradientClipping.ByNorm(1f) });
        cases["nesterov clip value +elastic"] = (OptimizerKind.Nesterov,
            new MomentumOptions { LearningRate = 0.05f, Clipping = GradientClipping.ByValue(0.5f), Regularization = Elastic });
        return cases;
    }
}
