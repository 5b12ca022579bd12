using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Optimizers;

/// <summary>Creates an optimizer by name (command lines, fine-tuning sessions) with each algorithm's own defaults.</summary>
public static class OptimizerFactory
{
    /// <summary>sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"];

    /// <param name="learningRate">Null keeps the algorithm's default (PyTorch's).</param>
    /// <param name="regularization">L1/L2/elastic-net penalty; null for none (AdamW keeps its decoupled default of 0.01).</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Optimizer Create(string name, IReadOnlyList<Parameter> parameters, float? learningRate = null,
        Regularization? regularization = null, GradientClipping? clipping = null, float momentum = 0.9f)
    {
        T With<T>(T options) where T : OptimizerOptions => options with
        {
            LearningRate = learningRate ?? options.LearningRate,
            Regularization = regularization ?? options.Regularization,
            Clipping = clipping ?? options.Clipping,
        };
        return name.ToLowerInvariant() switch
        {
            "sgd" => new Sgd(parameters, With(new SgdOptions())),
            "momentum" => new MomentumSgd(parameters, With(new MomentumOptions { Momentum = momentum })),
            "nesterov" => new NesterovSgd(parameters, With(new MomentumOptions { Momentum = momentum })),
            "adagrad" => new Adagrad(parameters, With(new AdagradOptions())),
            "rmsprop" => new RmsProp(parameters, With(new RmsPropOptions())),
            "adadelta" => new Adadelta(parameters, With(new AdadeltaOptions())),
            "adam" => new Adam(parameters, With(new AdamOptions())),
            "adamw" => new AdamW(parameters, With(AdamOptions.AdamWDefault)),
            _ => throw new ArgumentException($"Unknown optimizer '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
