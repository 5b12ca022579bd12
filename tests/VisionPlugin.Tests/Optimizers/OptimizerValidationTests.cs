using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>
/// Bad hyper-parameters fail at construction with ArgumentOutOfRangeException naming the setting
/// and quoting the value. No GPU needed: validation happens before any parameter is touched.
/// </summary>
public sealed class OptimizerValidationTests
{
    private static readonly Dictionary<string, (Func<object> Create, string ParamName, string Value)> BadSettings = new()
    {
        ["sgd negative lr"] = (() => new Sgd([], new SgdOptions { LearningRate = -0.1f }), "LearningRate", "-0.1"),
        ["sgd NaN lr"] = (() => new Sgd([], new SgdOptions { LearningRate = float.NaN }), "LearningRate", "NaN"),
        ["adam infinite lr"] = (() => new Adam([], new AdamOptions { LearningRate = float.PositiveInfinity }), "LearningRate", "Infinity"),
        ["momentum 1"] = (() => new MomentumSgd([], new MomentumOptions { Momentum = 1f }), "Momentum", "1"),
        ["momentum negative"] = (() => new MomentumSgd([], new MomentumOptions { Momentum = -0.1f }), "Momentum", "-0.1"),
        ["nesterov momentum 1.5"] = (() => new NesterovSgd([], new MomentumOptions { Momentum = 1.5f }), "Momentum", "1.5"),
        ["nesterov momentum NaN"] = (() => new NesterovSgd([], new MomentumOptions { Momentum = float.NaN }), "Momentum", "NaN"),
        ["adam beta1 1"] = (() => new Adam([], new AdamOptions { Beta1 = 1f }), "Beta1", "1"),
        ["adam beta2 negative"] = (() => new Adam([], new AdamOptions { Beta2 = -0.5f }), "Beta2", "-0.5"),
        ["adamw beta2 NaN"] = (() => new AdamW([], new AdamOptions { Beta2 = float.NaN }), "Beta2", "NaN"),
        ["adam eps 0"] = (() => new Adam([], new AdamOptions { Epsilon = 0f }), "Epsilon", "0"),
        ["adamw eps negative"] = (() => new AdamW([], new AdamOptions { Epsilon = -1e-8f }), "Epsilon", "-1E-08"),
        ["adagrad eps 0"] = (() => new Adagrad([], new AdagradOptions { Epsilon = 0f }), "Epsilon", "0"),
        ["adagrad negative lr"] = (() => new Adagrad([], new AdagradOptions { LearningRate = -1f }), "LearningRate", "-1"),
        ["rmsprop alpha 1"] = (() => new RmsProp([], new RmsPropOptions { Alpha = 1f }), "Alpha", "1"),
        ["rmsprop momentum 1"] = (() => new RmsProp([], new RmsPropOptions { Momentum = 1f }), "Momentum", "1"),
        ["rmsprop eps infinite"] = (() => new RmsProp([], new RmsPropOptions { Epsilon = float.PositiveInfinity }), "Epsilon", "Infinity"),
        ["adadelta rho 1"] = (() => new Adadelta([], new AdadeltaOptions { Rho = 1f }), "Rho", "1"),
        ["adadelta rho negative"] = (() => new Adadelta([], new AdadeltaOptions { Rho = -0.1f }), "Rho", "-0.1"),
        ["adadelta eps 0"] = (() => new Adadelta([], new AdadeltaOptions { Epsilon = 0f }), "Epsilon", "0"),
        ["negative L2"] = (() => new Sgd([], new SgdOptions { Regularization = Regularization.L2Penalty(-1e-4f) }), "Regularization.L2", "-0.0001"),
        ["NaN L1"] = (() => new Adam([], new AdamOptions { Regularization = Regularization.L1Penalty(float.NaN) }), "Regularization.L1", "NaN"),
        ["negative elastic L1"] = (() => new AdamW([], new AdamOptions { Regularization = Regularization.ElasticNet(-1f, 0.1f) }), "Regularization.L1", "-1"),
        ["clip norm 0"] = (() => new Sgd([], new SgdOptions { Clipping = GradientClipping.ByNorm(0f) }), "GradientClipping.MaxNorm", "0"),
        ["clip norm infinite"] = (() => new Adam([], new AdamOptions { Clipping = GradientClipping.ByNorm(float.PositiveInfinity) }), "GradientClipping.MaxNorm", "Infinity"),
        ["clip value negative"] = (() => new MomentumSgd([], new MomentumOptions { Clipping = GradientClipping.ByValue(-1f) }), "GradientClipping.MaxValue", "-1"),
    };

    public static TheoryData<string> BadCases => new(BadSettings.Keys);

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_hyper_parameter_is_rejected_by_name_and_value(string name)
    {
        var (create, paramName, value) = BadSettings[name];
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(paramName, e.ParamName);
        Assert.Contains($"got {value}", e.Message);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        using var sgd = new Sgd([], new SgdOptions { LearningRate = 0f });
        using var momentum = new MomentumSgd([], new MomentumOptions { Momentum = 0f });
        using var adam = new Adam([], new AdamOptions { Beta1 = 0f, Beta2 = 0f });
        using var rmsprop = new RmsProp([], new RmsPropOptions { Alpha = 0f, Momentum = 0.999f });
        using var adadelta = new Adadelta([], new AdadeltaOptions { Rho = 0f });
        Assert.Equal(0f, sgd.LearningRate);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Setting_a_bad_learning_rate_is_rejected_and_keeps_the_old_one(float bad)
    {
        using var adam = new Adam([]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = bad);
        Assert.Equal("LearningRate", e.ParamName);
        Assert.Equal(1e-3f, adam.LearningRate);
    }

    [Fact]
    public void Defaults_follow_pytorch()
    {
        Assert.Equal(0.01f, new SgdOptions().LearningRate);
        Assert.Equal(0.9f, new MomentumOptions().Momentum);
        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f), (new AdamOptions().LearningRate, new AdamOptions().Beta1, new AdamOptions().Beta2, new AdamOptions().Epsilon));
        Assert.Equal(0.01f, AdamOptions.AdamWDefault.Regularization.L2);
        Assert.Equal((0.01f, 0.99f, 1e-8f), (new RmsPropOptions().LearningRate, new RmsPropOptions().Alpha, new RmsPropOptions().Epsilon));
        Assert.Equal((1f, 0.9f, 1e-6f), (new AdadeltaOptions().LearningRate, new AdadeltaOptions().Rho, new AdadeltaOptions().Epsilon));
        Assert.Equal((0.01f, 1e-10f), (new AdagradOptions().LearningRate, new AdagradOptions().Epsilon));
        using var adamW = new AdamW([]);
        Assert.Equal(0.01f, adamW.Options.Regularization.L2);
    }

    [Fact]
    public void Step_count_cannot_be_negative_and_an_empty_optimizer_still_counts_steps()
    {
        using var sgd = new Sgd([]);
        sgd.Step();
        sgd.Step();
        Assert.Equal(2, sgd.StepCount);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => sgd.StepCount = -1);
        Assert.Equal("StepCount", e.ParamName);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new Sgd(null!));
        Assert.Throws<ArgumentNullException>(() => new Adam([], new AdamOptions { Regularization = null! }));
    }
}
