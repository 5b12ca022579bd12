using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>Vector-Jacobian products of an imported graph: d(sum_k output_k * dy_k)/dX.</summary>
/// <param name="Inputs">Per graph input (in order): the gradient, or null for a non-float input.</param>
/// <param name="Initializers">Per float initializer name (graph order): the gradient, in the initializer's element type.</param>
/// <param name="NotDifferentiated">Float initializers read as operator settings (Clip bounds, Pad values), which get no gradient.</param>
public sealed record OnnxGradients(
    IReadOnlyList<OnnxTensor?> Inputs,
    IReadOnlyList<KeyValuePair<string, OnnxTensor>> Initializers,
    IReadOnlyList<string> NotDifferentiated);

/// <summary>
/// An ONNX graph imported as an engine <see cref="Model"/> for fixed input shapes (<see cref="OnnxImporter"/>).
/// <see cref="Run"/> feeds TensorProto inputs and returns the graph outputs; <see cref="Gradients"/> also back-propagates
/// output gradients to the inputs and to every float initializer. BatchNorm and Dropout behave as in inference in both.
/// Owns the model. GL thread only.
/// </summary>
public sealed class ImportedModel : IDisposable
{
    private readonly IReadOnlyList<ParameterBinding> _bindings;
    private readonly IReadOnlyList<BatchNormStatisticsBinding> _statistics;
    private readonly IReadOnlyList<ImportedTensorInfo> _floatInitializers;

    internal ImportedModel(Model model, long opset, IReadOnlyList<ImportedTensorInfo> inputs, IReadOnlyList<ImportedTensorInfo> outputs,
        IReadOnlyList<ParameterBinding> bindings, IReadOnlyList<BatchNormStatisticsBinding> statistics,
        IReadOnlyList<ImportedTensorInfo> floatInitializers, IEnumerable<string> settingInitializers)
    {
        Model = model;
        OpsetVersion = opset;
        Inputs = inputs;
        Outputs = outputs;
        _bindings = bindings;
        _statistics = statistics;
        NotDifferentiated = settingInitializers.ToArray();
        _floatInitializers = floatInitializers.Where(i => !NotDifferentiated.Contains(i.Name)).ToArray();
        InitializerParameters = bindings.GroupBy(b => b.Initializer)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Parameter>)g.SelectMany(b => b.Shards).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The engine graph (its input i is graph input i, its outputs the graph outputs in order).</summary>
    public Model Model { get; }
    /// <summary>The default-domain opset the file imports.</summary>
    public long OpsetVersion { get; }
    /// <summary>Graph data inputs in order, with the shapes the model was built for.</summary>
    public IReadOnlyList<ImportedTensorInfo> Inputs { get; }
    /// <summary>Graph outputs in order.</summary>
    public IReadOnlyList<ImportedTensorInfo> Outputs { get; }
    /// <summary>The parameters that hold each float initializer used as a weight or operand (several when shared or sharded).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Parameter>> InitializerParameters { get; }
    /// <summary>Float initializers (graph order) whose gradients <see cref="Gradients"/> reports.</summary>
    public IReadOnlyList<ImportedTensorInfo> FloatInitializers => _floatInitializers;
    /// <summary>Float initializers read as operator settings; they get no gradient.</summary>
    public IReadOnlyList<string> NotDifferentiated { get; }

    /// <summary>Runs the graph in inference mode; returns the outputs as tensors named and typed as the graph declares.</summary>
    /// <exception cref="ArgumentException">Wrong input count, element type or shape; the message names the input.</exception>
    public IReadOnlyList<OnnxTensor> Run(IReadOnlyList<OnnxTensor> inputs)
    {
        Tensor[] uploaded = Upload(inputs);
        try
        {
            IReadOnlyList<Tensor> outputs = Model.ForwardAll(uploaded, training: false);
            return Outputs.Select((info, i) => OnnxTensorValues.Create(info.Name, info.ElementType, info.Shape, outputs[i].ToArray())).ToArray();
        }
        finally
        {
            foreach (Tensor t in uploaded) t.Dispose();
        }
    }

    /// <summary>
    /// Forward and backward: for output gradients dy_k, the gradients of L = sum_k sum(output_k * dy_k) with respect to
    /// every float input and float initializer.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong count, type or shape of an input or output gradient.</exception>
    public OnnxGradients Gradients(IReadOnlyList<OnnxTensor> inputs, IReadOnlyList<OnnxTensor> gradOutputs)
    {
        ArgumentNullException.ThrowIfNull(gradOutputs);
        if (gradOutputs.Count != Outputs.Count)
            throw new ArgumentException($"The graph has {Outputs.Count} output(s) ({string.Join(", ", Outputs.Select(o => o.Name))}); got {gradOutputs.Count} output gradient(s).", nameof(gradOutputs));
        Tensor[] uploaded = Upload(inputs);
        var gradients = new List<Tensor>();
        try
        {
            for (int k = 0; k < Outputs.Count; k++)
            {
                ImportedTensorInfo output = Outputs[k];
                OnnxTensor dy = gradOutputs[k];
                if (!ImportValue.IsFloatType(dy.DataType))
                    throw new ArgumentException($"Output gradient {k} (for '{output.Name}') must be a float tensor; got {dy.DataType.ProtoName()}.", nameof(gradOutputs));
                TensorShape shape = InputSignatures.ToShape(dy.Dims.ToArray(), $"output gradient {k}");
                if (shape != output.Shape)
                    throw new ArgumentException($"Output gradient {k} (for '{output.Name}') must have the output's shape {output.Shape}; got {shape}.", nameof(gradOutputs));
                gradients.Add(Tensor.FromData(Model.Context, EngineShape(shape), dy.ToFloatArray()));
            }
            foreach (Parameter p in _bindings.SelectMany(b => b.Shards)) p.ZeroGradient();
            foreach (BatchNormStatisticsBinding s in _statistics)
            {
                s.Layer.Scale.ZeroGradient();
                s.Layer.Shift.ZeroGradient();
            }
            Model.ForwardAll(uploaded, training: true);
            IReadOnlyList<Tensor?> inputGradients = Model.Backward(gradients, inputGradients: true);
            OnnxTensor?[] inputResults = Inputs.Select((info, i) => ImportValue.IsFloatType(info.ElementType)
                ? OnnxTensorValues.Create(info.Name, info.ElementType, info.Shape, inputGradients[i]?.ToArray() ?? new float[info.Shape.ElementCount])
                : null).ToArray();
            var sizes = _floatInitializers.ToDictionary(i => i.Name, i => i.Shape.ElementCount, StringComparer.Ordinal);
            Dictionary<string, float[]> collected = InitializerGradients.Collect(sizes, _bindings.Where(b => sizes.ContainsKey(b.Initializer)),
                _statistics);
            var initializerResults = _floatInitializers
                .Select(i => new KeyValuePair<string, OnnxTensor>(i.Name, OnnxTensorValues.Create(i.Name, i.ElementType, i.Shape, collected[i.Name])))
                .ToArray();
            return new OnnxGradients(inputResults, initializerResults, NotDifferentiated);
        }
        finally
        {
            foreach (Tensor t in uploaded) t.Dispose();
            foreach (Tensor t in gradients) t.Dispose();
        }
    }

    /// <summary>A scalar travels through the engine as [1].</summary>
    private static TensorShape EngineShape(TensorShape shape) => shape.Rank == 0 ? new TensorShape(1) : shape;

    /// <summary>Checks the inputs against the graph's and uploads them as float32.</summary>
    private Tensor[] Upload(IReadOnlyList<OnnxTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Inputs.Count)
            throw new ArgumentException(
                $"The graph takes {Inputs.Count} input(s) ({string.Join(", ", Inputs)}); got {inputs.Count}.", nameof(inputs));
        var checkedValues = new float[inputs.Count][];
        for (int i = 0; i < inputs.Count; i++)
        {
            ImportedTensorInfo expected = Inputs[i];
            OnnxTensor tensor = inputs[i];
            if (expected.ElementType != OnnxDataType.Undefined && tensor.DataType != expected.ElementType)
                throw new ArgumentException(
                    $"Input {i} ('{expected.Name}') must be {expected.ElementType.ProtoName()}; got {tensor.DataType.ProtoName()} (tensor '{tensor.Name}').", nameof(inputs));
            TensorShape shape;
            try
            {
                shape = InputSignatures.ToShape(tensor.Dims.ToArray(), $"input {i}");
                checkedValues[i] = tensor.ToFloatArray();
            }
            catch (Exception e) when (e is OnnxFormatException or OnnxImportException)
            {
                throw new ArgumentException($"Input {i} ('{expected.Name}'): {e.Message}", nameof(inputs), e);
            }
            if (shape != expected.Shape)
                throw new ArgumentException(
                    $"Input {i} ('{expected.Name}') must have shape {expected.Shape} (the shape the model was loaded for); got {shape}.", nameof(inputs));
        }
        var uploaded = new List<Tensor>();
        try
        {
            for (int i = 0; i < inputs.Count; i++) uploaded.Add(Tensor.FromData(Model.Context, EngineShape(Inputs[i].Shape), checkedValues[i]));
        }
        catch
        {
            foreach (Tensor t in uploaded) t.Dispose();
            throw;
        }
        return uploaded.ToArray();
    }

    public void Dispose() => Model.Dispose();
}
