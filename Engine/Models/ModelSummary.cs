using System.Text;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>One row of a <see cref="ModelSummary"/>: a layer for a batch of one image.</summary>
public sealed record LayerSummary(
    string Name, string Type, TensorShape OutputShape, long Parameters, long TrainableParameters,
    long ActivationElements, long MultiplyAdds)
{
    /// <summary>Bytes of the layer's float32 output for one image.</summary>
    public long ActivationBytes => ActivationElements * sizeof(float);
    /// <summary>Floating-point operations of the forward pass (2 per multiply-add).</summary>
    public long Flops => 2 * MultiplyAdds;
}

/// <summary>
/// Per-layer output shape, parameters, trainable parameters, activation memory and FLOPs of a
/// model for one image, with totals. Computed from shapes only: nothing is allocated on the GPU.
/// Activation totals follow the course notes' accounting (cs231n style): the input image plus each
/// layer's output, where element-wise activations count as in place (they add no memory).
/// </summary>
public sealed class ModelSummary
{
    public ModelSummary(Model model)
    {
        ModelName = model.Name;
        TensorShape[] shapes = model.InferShapes(batchSize: 1);
        InputElements = model.InputShapes.Sum(s => (long)s.ElementCount);
        var rows = new List<LayerSummary>();
        foreach (var (layer, inputs, output) in model.NodesWithShapes(shapes))
        {
            long parameters = layer.Parameters.Sum(p => (long)p.Shape.ElementCount);
            long trainable = layer.Parameters.Where(p => p.Trainable).Sum(p => (long)p.Shape.ElementCount);
            bool inPlace = layer is ActivationLayer or PReluLayer;
            rows.Add(new LayerSummary(layer.Name, layer.GetType().Name.Replace("Layer", ""), output, parameters, trainable,
                inPlace ? 0 : output.ElementCount, layer.MultiplyAdds(inputs)));
        }
        Layers = rows;
    }

    public string ModelName { get; }
    public IReadOnlyList<LayerSummary> Layers { get; }
    public long InputElements { get; }
    public long TotalParameters => Layers.Sum(l => l.Parameters);
    public long TrainableParameters => Layers.Sum(l => l.TrainableParameters);
    /// <summary>Input plus every stored layer output, per image.</summary>
    public long ActivationElements => InputElements + Layers.Sum(l => l.ActivationElements);
    public long ActivationBytes => ActivationElements * sizeof(float);
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);
    public long Flops => 2 * MultiplyAdds;
    /// <summary>Bytes of the parameters as float32.</summary>
    public long ParameterBytes => TotalParameters * sizeof(float);

    /// <summary>A plain-text table (one line per layer, then totals).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"Model '{ModelName}' (per image)");
        text.AppendLine($"{"layer",-28} {"type",-18} {"output",-18} {"params",14} {"trainable",14} {"act. KiB",10} {"MFLOP",10}");
        foreach (LayerSummary l in Layers)
            text.AppendLine($"{Truncate(l.Name, 28),-28} {Truncate(l.Type, 18),-18} {l.OutputShape,-18} {l.Parameters,14:N0} {l.TrainableParameters,14:N0} {l.ActivationBytes / 1024.0,10:F1} {l.Flops / 1e6,10:F2}");
        text.AppendLine($"total: {TotalParameters:N0} parameters ({TrainableParameters:N0} trainable, {ParameterBytes / 1048576.0:F1} MiB), " +
                        $"{ActivationElements:N0} activations ({ActivationBytes / 1048576.0:F1} MiB), {Flops / 1e9:F3} GFLOP");
        return text.ToString();
    }

    private static string Truncate(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";
}
