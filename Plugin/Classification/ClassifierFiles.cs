using System.Text.Json;
using System.Text.Json.Nodes;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;
using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Classification;

/// <summary>
/// Loads a classifier from a model file: an ONNX graph (e.g. one <c>finetune</c> exported, whose doc string
/// carries the labels), a <c>train</c> checkpoint (zoo architecture, input shape and labels in its metadata), a fine-tuning session folder (its last checkpoint: <c>finetune --session DIR</c>), or a
/// TensorFlow.js layers model (<c>model.json</c>; Teachable Machine puts its labels in <c>metadata.json</c> beside it). Labels can also come from a <c>&lt;model&gt;.labels.txt</c> file (one per
/// line) or be given. Inputs are taken as RGB in [0,1], centre-cropped to the model's input size.
/// </summary>
public static class ClassifierFiles
{
    /// <summary>Loads <paramref name="path"/> as a classifier on <paramref name="runtime"/>.</summary>
    /// <param name="runtime">The GPU runtime (use the classifier on its thread).</param>
    /// <param name="path">An .onnx file, a <c>train</c> .ckpt, a fine-tuning session folder, a model.json / model.min.js, or a folder holding one.</param>
    /// <param name="labels">Class names; when null they are read from the model's doc string or a labels file.</param>
    /// <exception cref="IOException">The file is malformed or unsupported (the message says why).</exception>
    /// <exception cref="ArgumentException">No labels were found, or their count does not match the model's outputs.</exception>
    public static Classifier Load(VisionRuntime runtime, string path, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return LoadOnnx(runtime, path, labels);
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, "session.json"))) return LoadSession(runtime, path);
        if (path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase)) return LoadTrainingCheckpoint(runtime, path, labels);
        Model model = TfJsImporter.Import(runtime.Context, path);
        try
        {
            labels ??= LabelsFile(path) ?? TeachableMachineLabels(path)
                       ?? throw new ArgumentException($"No labels for {path}: pass them, or put metadata.json (\"labels\") or {Path.GetFileName(path)}.labels.txt beside the model.");
            return Classifier.FromModel(model, labels);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Classifier LoadOnnx(VisionRuntime runtime, string path, IReadOnlyList<string>? labels)
    {
        OnnxModel onnx = OnnxReader.ReadModel(path);
        labels ??= DocStringLabels(onnx.DocString) ?? LabelsFile(path)
                   ?? throw new ArgumentException($"No labels for {path}: pass them, or put {Path.GetFileName(path)}.labels.txt beside it.");
        ImportedModel imported = OnnxImporter.Load(runtime.Context, onnx);
        try
        {
            // Shapes are fixed at import, so an ONNX classifier takes one image at a time.
            return Classifier.FromImported(imported.Model, labels, new PreprocessOptions(), imported);
        }
        catch
        {
            imported.Dispose();
            throw;
        }
    }

    /// <summary>A <c>train</c> result: a zoo architecture rebuilt from the checkpoint's metadata, then its weights.</summary>
    private static Classifier LoadTrainingCheckpoint(VisionRuntime runtime, string path, IReadOnlyList<string>? labels)
    {
        JsonObject metadata = Engine.Checkpoints.Checkpoint.Load(path).Metadata;
        string arch = metadata["arch"]?.GetValue<string>()
                      ?? throw new InvalidDataException($"{path} does not name its architecture (metadata 'arch'); only checkpoints written by `train` can be loaded as classifiers.");
        labels ??= (metadata["labels"] as JsonArray)?.Select(l => l!.GetValue<string>()).ToArray()
                   ?? throw new ArgumentException($"{path} carries no labels; pass them.");
        int[] input = (metadata["input"] as JsonArray)?.Select(d => d!.GetValue<int>()).ToArray()
                      ?? throw new InvalidDataException($"{path} does not give its input shape (metadata 'input').");
        Model model = Engine.Zoo.ModelZoo.Build(runtime.Context, arch, labels.Count, new Engine.TensorShape(input));
        try
        {
            Engine.Training.TrainingCheckpoint.Load(path, model, null);
            return Classifier.FromModel(model, labels, new PreprocessOptions());
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Classifier LoadSession(VisionRuntime runtime, string folder)
    {
        FineTuning.FineTuneSession session = FineTuning.FineTuneSession.Open(runtime, folder);
        try
        {
            return Classifier.FromOwner(session.Network, session.Classes, session.InputPreprocessing, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<string>? DocStringLabels(string docString)
    {
        if (string.IsNullOrWhiteSpace(docString) || !docString.TrimStart().StartsWith('{')) return null;
        try
        {
            return (JsonNode.Parse(docString)?["labels"] as JsonArray)?.Select(l => l!.GetValue<string>()).ToArray();
        }
        catch (JsonException) { return null; }
    }

    private static IReadOnlyList<string>? LabelsFile(string modelPath)
    {
        string file = modelPath.TrimEnd('/') + ".labels.txt";
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToArray() : null;
    }

    private static IReadOnlyList<string>? TeachableMachineLabels(string modelPath)
    {
        string folder = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        string metadata = Path.Combine(folder, "metadata.json");
        if (!File.Exists(metadata)) return null;
        try
        {
            return (JsonNode.Parse(File.ReadAllText(metadata))?["labels"] as JsonArray)?.Select(l => l!.GetValue<string>()).ToArray();
        }
        catch (JsonException e) { throw new InvalidDataException($"{metadata}: {e.Message}", e); }
    }
}
