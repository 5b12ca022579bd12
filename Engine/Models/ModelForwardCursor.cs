using System.Diagnostics;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// Runs a model's inference forward pass a few nodes at a time, so a host can spread one pass over
/// several rendered frames (time slicing) instead of stalling its render loop for the whole pass.
/// <para>
/// Layers own their output tensors, so while a pass is in progress no other Forward may run through the
/// same layers (a training step on a shared head, say): finish or <see cref="Cancel"/> the pass first.
/// Call on the GL thread of the model's context.
/// </para>
/// </summary>
public sealed class ModelForwardCursor
{
    private readonly Model _model;
    private readonly bool[] _needed;
    private readonly Tensor?[] _values;
    private int _next = -1;

    /// <summary>A cursor over <paramref name="model"/> (single input, first output).</summary>
    public ModelForwardCursor(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.InputCount != 1) throw new ArgumentException($"ModelForwardCursor runs single-input models; '{model.Name}' takes {model.InputCount}.", nameof(model));
        _model = model;
        _values = new Tensor?[model.NodeCount];
        _needed = NodesFeedingOutput(model);
        NodesToRun = _needed.Count(n => n) - 1;
    }

    /// <summary>Layer nodes one full pass runs.</summary>
    public int NodesToRun { get; }

    /// <summary>Layer nodes run so far in the current pass.</summary>
    public int NodesDone { get; private set; }

    /// <summary>A pass has started and not finished.</summary>
    public bool InProgress => _next >= 0;

    /// <summary>The model output of the last finished pass (owned by its layer; valid until the layer runs again).</summary>
    public Tensor? Output { get; private set; }

    /// <summary>Starts a pass on <paramref name="input"/> ([N, …model input shape]); nothing runs until <see cref="Step"/>.</summary>
    public void Start(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TensorShape expected = new([input.Shape.Rank > 0 ? input.Shape[0] : 1, .. _model.InputShapes[0].Dimensions]);
        if (input.Shape != expected)
            throw new ArgumentException($"Model '{_model.Name}' input must be [batch,{string.Join(",", _model.InputShapes[0].Dimensions.ToArray())}]; got {input.Shape}.", nameof(input));
        Array.Clear(_values);
        _values[0] = input;
        _next = 1;
        NodesDone = 0;
        Output = null;
    }

    /// <summary>
    /// Runs nodes until <paramref name="budget"/> is spent (at least one node) or the pass ends.
    /// Returns true when the pass has finished and <see cref="Output"/> holds the result.
    /// </summary>
    public bool Step(TimeSpan budget)
    {
        if (_next < 0) throw new InvalidOperationException($"Model '{_model.Name}': Step before Start.");
        _model.Context.VerifyAccess();
        var clock = Stopwatch.StartNew();
        do
        {
            RunNode(_next++);
            if (_next == _values.Length)
            {
                Output = _values[_model.Outputs[0]];
                Array.Clear(_values);
                _next = -1;
                return true;
            }
        } while (clock.Elapsed < budget);
        return false;
    }

    /// <summary>Runs the rest of the pass; returns the output.</summary>
    public Tensor Finish()
    {
        while (!Step(TimeSpan.MaxValue)) { }
        return Output!;
    }

    /// <summary>Abandons the current pass (the layers may be used by other passes again).</summary>
    public void Cancel()
    {
        Array.Clear(_values);
        _next = -1;
    }

    private void RunNode(int index)
    {
        var (layer, inputs) = _model.NodeAt(index);
        if (layer is null) throw new InvalidOperationException($"Model '{_model.Name}': node {index} is an input; a cursor runs single-input models.");
        if (!_needed[index]) return; // not on a path to the output
        _values[index] = layer.Forward(inputs.Select(j => _values[j]!).ToArray(), training: false);
        NodesDone++;
    }

    /// <summary>needed[i]: node i feeds the first output, so a pass must run it.</summary>
    private static bool[] NodesFeedingOutput(Model model)
    {
        var needed = new bool[model.NodeCount];
        needed[model.Outputs[0]] = true;
        for (int i = model.NodeCount - 1; i >= 0; i--)
            if (needed[i])
                foreach (int j in model.NodeAt(i).Inputs) needed[j] = true;
        return needed;
    }
}
