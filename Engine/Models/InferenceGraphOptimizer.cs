using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// Rewrites a model for inference into one that computes the same outputs with fewer, fused kernel launches:
/// <list type="bullet">
/// <item>a constant-zero <see cref="Pad2dLayer"/> (no cropping) feeding only a convolution becomes extra conv padding
/// (Keras ZeroPadding2D before a "valid" conv; the conv kernels take per-side padding);</item>
/// <item>a convolution followed by its only consumer, a <see cref="BatchNorm2dLayer"/>, folds the running statistics
/// into the conv weight and bias (<see cref="BatchNormFolding"/>);</item>
/// <item>then a two-input same-shape <see cref="AddLayer"/> (a residual join) and then a ReLU, ReLU6, Clip or Identity
/// <see cref="ActivationLayer"/> become the conv's epilogue (<see cref="ConvEpilogue"/>), in that order.</item>
/// </list>
/// A layer is absorbed only when its producer feeds nothing else and is not a model output. Every other layer is shared
/// with the source model, as are the source weights: the result is a view that must not outlive the source, and it
/// disposes only its own fused layers. It computes what the source computes with training = false (BatchNorm with
/// running statistics); it has no trainable parameters and no Backward through fused layers. After the source's
/// weights or running statistics change (training, checkpoint load), call <see cref="Refresh"/>.
/// </summary>
public static class InferenceGraphOptimizer
{
    /// <summary>One fused group: the conv node, its (possibly pad-skipping) input, absorbed nodes and epilogue.</summary>
    private sealed class Group
    {
        public required int ConvNode;
        public required int InputNode;
        public Padding2d ExtraPadding;
        public BatchNormLayer? Norm;
        public int ResidualNode = -1;
        public float Min = float.NegativeInfinity, Max = float.PositiveInfinity;
        public int LastNode;
        public readonly List<int> Members = [];
    }

    /// <summary>The optimized view of <paramref name="source"/> (same inputs, outputs and name). Call on the GL thread.</summary>
    public static Model Optimize(Model source)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = source.NodeCount;
        TensorShape[] shapes = source.InferShapes();
        var consumers = new List<int>[count];
        for (int i = 0; i < count; i++) consumers[i] = [];
        for (int i = source.InputCount; i < count; i++)
            foreach (int j in source.NodeAt(i).Inputs) consumers[j].Add(i);
        var isOutput = new bool[count];
        foreach (int o in source.Outputs) isOutput[o] = true;
        // The node that alone reads node i (once), or -1.
        int SoleConsumer(int i) => !isOutput[i] && consumers[i].Count == 1 ? consumers[i][0] : -1;

        var groupOf = new Group?[count];
        for (int i = source.InputCount; i < count; i++)
        {
            if (source.NodeAt(i).Layer is not Conv2dLayer || groupOf[i] is not null) continue;
            Group group = Plan(source, i, shapes, SoleConsumer, groupOf);
            foreach (int member in group.Members) groupOf[member] = group;
        }

        var result = new Model(source.Context, source.Name, [.. source.InputShapes]) { OwnsLayers = false };
        var map = new int[count];
        for (int i = 0; i < source.InputCount; i++) map[i] = i;
        for (int i = source.InputCount; i < count; i++)
        {
            var (layer, inputs) = source.NodeAt(i);
            if (groupOf[i] is not { } group)
            {
                map[i] = result.Add(layer!, inputs.Select(j => map[j]).ToArray());
                continue;
            }
            if (i != group.LastNode) continue;   // emitted at its last member, when the residual exists too
            var fused = new FusedConv2dLayer((Conv2dLayer)source.NodeAt(group.ConvNode).Layer!, group.Norm, group.ExtraPadding,
                group.Min, group.Max, group.ResidualNode >= 0);
            result.DisposeWith(fused);
            int id = group.ResidualNode >= 0
                ? result.Add(fused, map[group.InputNode], map[group.ResidualNode])
                : result.Add(fused, map[group.InputNode]);
            foreach (int member in group.Members) map[member] = id;
        }
        result.SetOutputs([.. source.Outputs.Select(o => map[o])]);
        return result;
    }

    /// <summary>Re-folds every BatchNorm of an optimized model from its source layers' current values (one dispatch each).</summary>
    public static void Refresh(Model optimized)
    {
        ArgumentNullException.ThrowIfNull(optimized);
        foreach (FusedConv2dLayer layer in optimized.Layers.OfType<FusedConv2dLayer>()) layer.Refresh();
    }

    private static Group Plan(Model source, int convNode, TensorShape[] shapes, Func<int, int> soleConsumer, Group?[] taken)
    {
        int input = source.NodeAt(convNode).Inputs[0];
        var group = new Group { ConvNode = convNode, InputNode = input, LastNode = convNode };
        group.Members.Add(convNode);
        if (source.NodeAt(input).Layer is Pad2dLayer pad && IsFoldablePad(pad.Options) && soleConsumer(input) == convNode && taken[input] is null)
        {
            group.ExtraPadding = pad.Options.Padding;
            group.InputNode = source.NodeAt(input).Inputs[0];
            group.Members.Add(input);
        }
        int next = soleConsumer(group.LastNode);
        if (next >= 0 && source.NodeAt(next).Layer is BatchNorm2dLayer norm)
        {
            group.Norm = norm;
            Absorb(group, next);
            next = soleConsumer(next);
        }
        if (next >= 0 && source.NodeAt(next) is (AddLayer, { Count: 2 } addInputs) && shapes[addInputs[0]] == shapes[addInputs[1]])
        {
            group.ResidualNode = addInputs[0] == group.LastNode ? addInputs[1] : addInputs[0];
            if (group.ResidualNode != group.LastNode)
            {
                Absorb(group, next);
                next = soleConsumer(next);
            }
            else group.ResidualNode = -1;   // x + x: not a residual join
        }
        if (next >= 0 && source.NodeAt(next).Layer is ActivationLayer activation && ClampOf(activation.Options) is { } clamp)
        {
            (group.Min, group.Max) = clamp;
            Absorb(group, next);
        }
        return group;
    }

    private static void Absorb(Group group, int node)
    {
        group.Members.Add(node);
        group.LastNode = node;
    }

    private static bool IsFoldablePad(Pad2dOptions options) =>
        options.Mode == PadMode.Constant && options.Value == 0f
        && options.Padding is { Top: >= 0, Left: >= 0, Bottom: >= 0, Right: >= 0 };

    /// <summary>The clamp interval of a deterministic piecewise-linear activation, or null.</summary>
    private static (float Min, float Max)? ClampOf(ActivationOptions options) => options.Kind switch
    {
        ActivationKind.Identity => (float.NegativeInfinity, float.PositiveInfinity),
        ActivationKind.Relu => (0f, float.PositiveInfinity),
        ActivationKind.Relu6 => (0f, 6f),
        ActivationKind.Clip when options.Min <= options.Max => (options.Min, options.Max),
        _ => null,
    };
}
