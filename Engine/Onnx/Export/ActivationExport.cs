using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Activations as the inference graph computes them. Element-wise kinds map one to one (ReLU6 and Clip to
/// <c>Clip</c> with min/max inputs, as opset 13 takes them); the randomized kinds export their inference form
/// (RReLU: LeakyRelu with the mean slope (lower + upper) / 2; Noisy ReLU: Relu). PReLU's per-channel slope [C]
/// becomes ONNX's [C, 1, 1] (broadcast against [N, C, H, W]); CReLU and Maxout are composed from standard ops.
/// </summary>
internal static class ActivationExport
{
    public static void Elementwise(LayerExport e, ActivationLayer layer)
    {
        ActivationOptions o = layer.Options;
        switch (o.Kind)
        {
            case ActivationKind.Identity: e.Node("Identity", [e.Input]); break;
            case ActivationKind.Relu or ActivationKind.NoisyRelu: e.Node("Relu", [e.Input]); break;
            case ActivationKind.LeakyRelu: e.Node("LeakyRelu", [e.Input], OnnxAttribute.OfFloat("alpha", o.Alpha)); break;
            case ActivationKind.RRelu: e.Node("LeakyRelu", [e.Input], OnnxAttribute.OfFloat("alpha", (o.Lower + o.Upper) / 2)); break;
            case ActivationKind.Elu: e.Node("Elu", [e.Input], OnnxAttribute.OfFloat("alpha", o.Alpha)); break;
            case ActivationKind.Selu:
                e.Node("Selu", [e.Input], OnnxAttribute.OfFloat("alpha", o.Alpha), OnnxAttribute.OfFloat("gamma", o.Scale));
                break;
            case ActivationKind.Sigmoid: e.Node("Sigmoid", [e.Input]); break;
            case ActivationKind.Tanh: e.Node("Tanh", [e.Input]); break;
            case ActivationKind.Softplus: e.Node("Softplus", [e.Input]); break;
            case ActivationKind.Softsign: e.Node("Softsign", [e.Input]); break;
            case ActivationKind.Relu6 or ActivationKind.Clip: Clip(e, o.Min, o.Max); break;
            case ActivationKind.HardSigmoid:
                e.Node("HardSigmoid", [e.Input], OnnxAttribute.OfFloat("alpha", o.Alpha), OnnxAttribute.OfFloat("beta", o.Beta));
                break;
            case ActivationKind.Neg: e.Node("Neg", [e.Input]); break;
            case ActivationKind.Abs: e.Node("Abs", [e.Input]); break;
            case ActivationKind.Exp: e.Node("Exp", [e.Input]); break;
            case ActivationKind.Log: e.Node("Log", [e.Input]); break;
            case ActivationKind.Sqrt: e.Node("Sqrt", [e.Input]); break;
            default: throw e.Refuse($"activation kind {o.Kind} has no ONNX mapping.");
        }
    }

    /// <summary>Clip(x, min, max) with scalar bound inputs; an infinite bound is left out (the empty input name).</summary>
    private static void Clip(LayerExport e, float min, float max)
    {
        string minName = float.IsNegativeInfinity(min) ? "" : e.Scalar("min", min);
        string maxName = float.IsPositiveInfinity(max) ? "" : e.Scalar("max", max);
        if (maxName.Length > 0) e.Node("Clip", [e.Input, minName, maxName]);
        else if (minName.Length > 0) e.Node("Clip", [e.Input, minName]);
        else e.Node("Identity", [e.Input]);
    }

    /// <summary>PRelu(x, slope): the slope [C] (or [1] shared) reshaped to [C, 1, ...] so it lines up with axis 1.</summary>
    public static void PRelu(LayerExport e, PReluLayer layer)
    {
        int count = layer.Slope.Shape.ElementCount;
        long[] dims = count == 1 ? [1] : [count, .. Enumerable.Repeat(1L, e.InputShape.Rank - 2)];
        e.Node("PRelu", [e.Input, e.Weight(layer.Slope, dims)]);
    }

    /// <summary>CReLU: Concat(Relu(x), Relu(Neg(x))) along the channels, [N, C, ...] -> [N, 2C, ...].</summary>
    public static void CRelu(LayerExport e)
    {
        string positive = e.Helper("Relu", [e.Input]);
        string negated = e.Helper("Neg", [e.Input]);
        string negative = e.Helper("Relu", [negated]);
        e.Node("Concat", [positive, negative], OnnxAttribute.OfInt("axis", 1));
    }

    /// <summary>
    /// Maxout over k consecutive channels: Reshape [N, C, ...] to [N, C/k, k, ...] (0 copies the batch size), then
    /// ReduceMax over axis 2 without keeping it.
    /// </summary>
    public static void Maxout(LayerExport e, MaxoutLayer layer)
    {
        TensorShape input = e.InputShape;
        long[] grouped = [0, input.C / layer.Pieces, layer.Pieces, .. LayerExport.Dims(input)[2..]];
        string reshaped = e.Helper("Reshape", [e.Input, e.Int64s("shape", grouped)]);
        e.Node("ReduceMax", [reshaped], OnnxAttribute.OfInts("axes", 2), OnnxAttribute.OfInt("keepdims", 0));
    }
}
