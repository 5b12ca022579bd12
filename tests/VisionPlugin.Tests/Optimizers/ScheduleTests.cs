using VisionPlugin.Engine.Optimizers;
using VisionPlugin.Engine.Optimizers.Schedules;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>Learning-rate schedules give exact sequences; bad settings are rejected by name.</summary>
public sealed class ScheduleTests
{
    private static void AssertSequence(IReadOnlyList<double> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-7 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}: epoch {i} expected {expected[i]:G9}, got {actual[i]:G9}; sequence [{string.Join(", ", actual)}]");
    }

    [Fact]
    public void Step_decay_multiplies_by_gamma_every_step_size_epochs()
    {
        var schedule = new StepDecaySchedule(0.1f, stepSize: 3, gamma: 0.5f);
        float[] rates = Enumerable.Range(0, 10).Select(schedule.LearningRateAt).ToArray();
        AssertSequence([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125], rates, "step decay");
    }

    [Fact]
    public void Step_decay_with_step_one_is_exponential_decay()
    {
        var schedule = new StepDecaySchedule(1f, stepSize: 1, gamma: 0.9f);
        AssertSequence([1, 0.9, 0.81, 0.729, 0.6561], Enumerable.Range(0, 5).Select(schedule.LearningRateAt).ToArray(), "exponential");
    }

    [Fact]
    public void Cosine_annealing_reaches_zero_after_t_epochs_and_stays()
    {
        var schedule = new CosineAnnealingSchedule(1f, epochs: 4);
        // (1 + cos(pi * e / 4)) / 2 = 1, 0.853553, 0.5, 0.146447, 0; then held at 0.
        AssertSequence([1, 0.8535533905932737, 0.5, 0.14644660940672624, 0, 0, 0],
            Enumerable.Range(0, 7).Select(schedule.LearningRateAt).ToArray(), "cosine");
    }

    [Fact]
    public void Cosine_annealing_to_a_minimum()
    {
        var schedule = new CosineAnnealingSchedule(0.1f, epochs: 2, minLearningRate: 0.01f);
        AssertSequence([0.1, 0.055, 0.01, 0.01], Enumerable.Range(0, 4).Select(schedule.LearningRateAt).ToArray(), "cosine min");
    }

    [Fact]
    public void Plateau_reduces_after_patience_bad_epochs_in_min_mode()
    {
        var plateau = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Patience = 2, Factor = 0.5f, Threshold = 0 });
        double[] losses = [10, 9, 9.5, 9.2, 9.1, 8, 8, 8.1, 8.2, 7];
        float[] rates = losses.Select(plateau.Report).ToArray();
        // 9.1 is the third epoch without beating 9 -> halve; 8 improves; 8, 8.1, 8.2 are bad -> halve again.
        AssertSequence([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25], rates, "plateau min");
        Assert.Equal(2, plateau.Reductions);
        Assert.Equal(7, plateau.Best);
        Assert.Equal(0, plateau.BadEpochs);
    }

    [Fact]
    public void Plateau_in_max_mode_with_cooldown()
    {
        var plateau = new ReduceLearningRateOnPlateau(0.1f, new ReduceOnPlateauOptions
        {
            Mode = PlateauMode.Max, Patience = 1, Factor = 0.1f, Cooldown = 2, Threshold = 0,
        });
        double[] accuracies = [0.5, 0.6, 0.6, 0.59, 0.58, 0.57, 0.56, 0.55];
        // 0.6 (bad 1), 0.59 (bad 2 > 1) -> 0.01 and cooldown 2: 0.58 and 0.57 are not counted;
        // 0.56 bad 1, 0.55 bad 2 -> 0.001.
        AssertSequence([0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001], accuracies.Select(plateau.Report).ToArray(), "plateau max cooldown");
    }

    [Fact]
    public void Plateau_never_goes_below_the_minimum()
    {
        var plateau = new ReduceLearningRateOnPlateau(1e-3f, new ReduceOnPlateauOptions { Patience = 0, Factor = 0.1f, MinLearningRate = 5e-4f });
        float[] rates = Enumerable.Repeat(1.0, 4).Select(plateau.Report).ToArray();
        // Epoch 0 sets the best; each later epoch is bad and patience is 0.
        AssertSequence([1e-3, 5e-4, 5e-4, 5e-4], rates, "plateau floor");
        Assert.Equal(1, plateau.Reductions);
    }

    [Fact]
    public void Plateau_threshold_relative_and_absolute()
    {
        var relative = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Patience = 0, Factor = 0.5f, Threshold = 1e-3 });
        relative.Report(10);
        Assert.Equal(0.5f, relative.Report(9.995));   // needs < 10 * (1 - 1e-3) = 9.99
        Assert.Equal(0.5f, relative.Report(9.98));    // improvement
        Assert.Equal(9.98, relative.Best);

        var absolute = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions
        {
            Patience = 0, Factor = 0.5f, Threshold = 0.5, ThresholdMode = PlateauThreshold.Absolute,
        });
        absolute.Report(10);
        Assert.Equal(0.5f, absolute.Report(9.6));     // needs < 9.5
        Assert.Equal(0.5f, absolute.Report(9.4));
    }

    [Fact]
    public void Plateau_counts_a_NaN_metric_as_bad()
    {
        var plateau = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Patience = 0, Factor = 0.5f });
        plateau.Report(1);
        Assert.Equal(0.5f, plateau.Report(double.NaN));
        Assert.Equal(1, plateau.Best);
    }

    [Fact]
    public void Schedule_drives_an_optimizer_learning_rate()
    {
        using var sgd = new Sgd([], new SgdOptions { LearningRate = 0.1f });
        var schedule = new CosineAnnealingSchedule(sgd.Options.LearningRate, epochs: 10, minLearningRate: 0.001f);
        for (int epoch = 0; epoch <= 10; epoch++) sgd.LearningRate = schedule.LearningRateAt(epoch);
        Assert.Equal(0.001f, sgd.LearningRate);
    }

    public static TheoryData<string> BadCases => new(BadSchedules.Keys);

    private static readonly Dictionary<string, (Action Create, string ParamName)> BadSchedules = new()
    {
        ["step size 0"] = (() => _ = new StepDecaySchedule(0.1f, 0), "stepSize"),
        ["gamma 0"] = (() => _ = new StepDecaySchedule(0.1f, 1, 0f), "gamma"),
        ["gamma above 1"] = (() => _ = new StepDecaySchedule(0.1f, 1, 1.5f), "gamma"),
        ["step negative lr"] = (() => _ = new StepDecaySchedule(-0.1f, 1), "baseLearningRate"),
        ["cosine 0 epochs"] = (() => _ = new CosineAnnealingSchedule(0.1f, 0), "epochs"),
        ["cosine min above base"] = (() => _ = new CosineAnnealingSchedule(0.1f, 5, 0.2f), "minLearningRate"),
        ["cosine NaN lr"] = (() => _ = new CosineAnnealingSchedule(float.NaN, 5), "baseLearningRate"),
        ["negative epoch"] = (() => new StepDecaySchedule(0.1f, 2).LearningRateAt(-1), "epoch"),
        ["plateau factor 1"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Factor = 1f }), "Factor"),
        ["plateau factor 0"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Factor = 0f }), "Factor"),
        ["plateau negative patience"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Patience = -1 }), "Patience"),
        ["plateau negative cooldown"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Cooldown = -1 }), "Cooldown"),
        ["plateau NaN min lr"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { MinLearningRate = float.NaN }), "MinLearningRate"),
        ["plateau negative threshold"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Threshold = -1 }), "Threshold"),
        ["plateau unknown mode"] = (() => _ = new ReduceLearningRateOnPlateau(1f, new ReduceOnPlateauOptions { Mode = (PlateauMode)7 }), "Mode"),
        ["plateau negative initial lr"] = (() => _ = new ReduceLearningRateOnPlateau(-1f), "initialLearningRate"),
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_schedule_settings_are_rejected_by_name(string name)
    {
        var (create, paramName) = BadSchedules[name];
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(paramName, e.ParamName);
    }
}
