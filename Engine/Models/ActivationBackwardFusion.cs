using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// The training-graph fusion <see cref="Model.Backward(IReadOnlyList{Tensor}, bool)"/> runs: a clamp activation
/// (ReLU, ReLU6, Clip: <see cref="ActivationDerivativeMask.TryFor"/>) whose output feeds exactly one layer, once, and is
/// not a model output, hands its derivative to that consumer when the consumer's backward-input kernel can apply it
/// (<see cref="IFusesInputActivationBackward"/>, e.g. <see cref="Conv2dLayer"/>):
///   unfused: consumer writes dx = dL/da, then the activation reads it again: dz = dx * act'(z)   (two passes)
///   fused:   consumer writes dz = dL/da * [lo &lt; a &lt; hi] from its own input a,                 (one pass)
///            and the activation's backward is a pass-through (no dispatch).
/// The result is identical (the same 0/1 factor, see <see cref="ActivationDerivativeMask"/>). The plan depends only on the
/// graph, so it is made per model (a sliced view has its own: an activation whose consumer is outside the view is not
/// fused). On by default; <see cref="ModeVariable"/> = off, or <see cref="Model.FuseActivationBackward"/> = false, turns it off.
/// </summary>
public static class ActivationBackwardFusion
{
    /// <summary>Environment variable: <c>off</c> makes new models run every activation's own backward pass (default <c>on</c>).</summary>
    public const string ModeVariable = "VISIONPLUGIN_FUSED_ACTIVATION_BACKWARD";

    /// <summary>The default of <see cref="Model.FuseActivationBackward"/>: true unless <see cref="ModeVariable"/> is <c>off</c>.</summary>
    public static bool EnabledByDefault { get; } =
        !string.Equals(Environment.GetEnvironmentVariable(ModeVariable)?.Trim(), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fused pairs of <paramref name="model"/> as (activation layer, consumer layer) names, in graph order.</summary>
    public static IReadOnlyList<(string Activation, string Consumer)> Pairs(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Plan plan = Plan.For(model);
        var pairs = new List<(string, string)>();
        for (int node = model.InputCount; node < model.NodeCount; node++)
            if (plan.ConsumerOf[node] is int consumer and >= 0)
                pairs.Add((model.NodeAt(node).Layer!.Name, model.NodeAt(consumer).Layer!.Name));
        return pairs;
    }

    /// <summary>Per node of one model: which activations pass through and which consumers apply their derivative.</summary>
    internal sealed class Plan
    {
        private Plan(int nodeCount)
        {
            ConsumerOf = Enumerable.Repeat(-1, nodeCount).ToArray();
            InputActivationOf = new ActivationDerivativeMask?[nodeCount];
        }

        /// <summary>For a fused activation node: the consumer node that applies its derivative; else -1.</summary>
        public int[] ConsumerOf { get; }

        /// <summary>For a consumer node: the derivative of the activation feeding it, applied in its backward-input kernel; else null.</summary>
        public ActivationDerivativeMask?[] InputActivationOf { get; }

        /// <summary>Whether node <paramref name="node"/> is a fused activation whose backward is a pass-through.</summary>
        public bool IsPassThrough(int node) => ConsumerOf[node] >= 0;

        public static Plan For(Model model)
        {
            int count = model.NodeCount;
            var plan = new Plan(count);
            var readers = new List<int>[count];
            for (int i = 0; i < count; i++) readers[i] = [];
            for (int i = model.InputCount; i < count; i++)
                foreach (int j in model.NodeAt(i).Inputs) readers[j].Add(i);   // a layer reading j twice appears twice
            var isOutput = new bool[count];
            foreach (int o in model.Outputs) isOutput[o] = true;
            for (int node = model.InputCount; node < count; node++)
            {
                if (model.NodeAt(node).Layer is not ActivationLayer activation || isOutput[node] || readers[node].Count != 1) continue;
                if (!ActivationDerivativeMask.TryFor(activation.Options, out ActivationDerivativeMask mask)) continue;
                int consumer = readers[node][0];
                var (consumerLayer, consumerInputs) = model.NodeAt(consumer);
                if (consumerLayer is not (IFusesInputActivationBackward and UnaryLayer) || consumerInputs.Count != 1) continue;
                plan.ConsumerOf[node] = consumer;
                plan.InputActivationOf[consumer] = mask;
            }
            return plan;
        }
    }
}
