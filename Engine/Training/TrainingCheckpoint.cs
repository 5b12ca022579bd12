using System.Text.Json.Nodes;
using VisionPlugin.Engine.Checkpoints;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Engine.Training;

/// <summary>
/// A resumable training state in one <see cref="Checkpoint"/> file: every parameter and layer buffer
/// (BatchNorm running statistics) under its own name, the optimizer's state tensors under
/// <c>optimizer/{parameter}.{slot}</c>, and metadata: model name, finished epochs, optimizer type,
/// learning rate, step counts, and each randomized layer's step (dropout masks continue where they
/// left off). Loading validates everything before changing anything.
/// </summary>
public static class TrainingCheckpoint
{
    private const string OptimizerPrefix = "optimizer/";

    /// <summary>Named weights and buffers of a model (the checkpoint and export order).</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> ModelTensors(Model model) =>
        model.Parameters.Select(p => (p.Name, p.Value)).Concat(model.Layers.SelectMany(l => l.Buffers));

    /// <param name="extra">More metadata (e.g. architecture, labels, input shape) stored beside the standard fields.</param>
    public static void Save(string path, Model model, Optimizer? optimizer, int finishedEpochs, JsonObject? extra = null)
    {
        var tensors = ModelTensors(model).ToList();
        var metadata = new JsonObject
        {
            ["format"] = "visionplugin-training-checkpoint",
            ["model"] = model.Name,
            ["finished_epochs"] = finishedEpochs,
            ["layer_steps"] = new JsonObject(model.Layers.OfType<IRandomizedLayer>()
                .Select(l => KeyValuePair.Create(((Layer)l).Name, (JsonNode?)l.Step))),
        };
        if (extra is not null)
            foreach (var (key, value) in extra) metadata[key] = value?.DeepClone();
        if (optimizer is not null)
        {
            optimizer.AllocateState();
            tensors.AddRange(optimizer.StateTensors.Select(t => (OptimizerPrefix + t.Name, t.Tensor)));
            metadata["optimizer"] = new JsonObject
            {
                ["type"] = optimizer.GetType().Name,
                ["learning_rate"] = optimizer.LearningRate,
                ["step_count"] = optimizer.StepCount,
                ["parameter_steps"] = new JsonObject(optimizer.StateSteps.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)s.Steps))),
            };
        }
        Checkpoint.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Restores weights, buffers, randomized-layer steps and (when given) optimizer state; returns
    /// the number of finished epochs (the epoch to resume from).
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not fit this model or optimizer; the message names the first mismatch.</exception>
    public static int Load(string path, Model model, Optimizer? optimizer)
    {
        Checkpoint checkpoint = Checkpoint.Load(path);
        JsonObject metadata = checkpoint.Metadata;
        var targets = ModelTensors(model).ToList();
        JsonObject? optimizerInfo = metadata["optimizer"] as JsonObject;
        if (optimizer is not null && optimizerInfo is not null)
        {
            string savedType = optimizerInfo["type"]?.GetValue<string>() ?? "?";
            if (savedType != optimizer.GetType().Name)
                throw new InvalidDataException($"{path} holds {savedType} optimizer state; this run uses {optimizer.GetType().Name}.");
            optimizer.AllocateState();
            targets.AddRange(optimizer.StateTensors.Select(t => (OptimizerPrefix + t.Name, t.Tensor)));
        }
        checkpoint.RestoreInto(targets); // validates every name and shape first
        if (metadata["layer_steps"] is JsonObject steps)
            foreach (Layer layer in model.Layers)
                if (layer is IRandomizedLayer randomized && steps[layer.Name] is JsonNode step)
                    randomized.Step = step.GetValue<long>();
        if (optimizer is not null && optimizerInfo is not null)
        {
            optimizer.LearningRate = optimizerInfo["learning_rate"]!.GetValue<float>();
            optimizer.StepCount = optimizerInfo["step_count"]!.GetValue<long>();
            if (optimizerInfo["parameter_steps"] is JsonObject parameterSteps)
                foreach (var (name, value) in parameterSteps)
                {
                    long updates = value!.GetValue<long>();
                    if (updates is < 0 or > int.MaxValue)
                        throw new InvalidDataException($"{path}: optimizer state '{name}' counts {updates} updates; expected 0 to {int.MaxValue}.");
                    optimizer.RestoreStateSteps(name, updates);
                }
        }
        return metadata["finished_epochs"]?.GetValue<int>() ?? 0;
    }
}
