using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Reductions an imported graph computes: <see cref="ReduceLayer"/> (<c>ReduceSum</c> / <c>ReduceMean</c> keeping the
/// axes, opset 13: ReduceSum takes its axes as an input, ReduceMean as an attribute) and <see cref="InstanceNormLayer"/>
/// (<c>InstanceNormalization</c> with scale 1 and bias 0: the importer applies an affine part as separate Mul/Add).
/// </summary>
internal static class ReductionExport
{
    /// <summary>Sum or mean over the layer's axes with keepdims = 1; no axes is the identity (ONNX would reduce all).</summary>
    public static void Reduce(LayerExport e, ReduceLayer layer)
    {
        long[] axes = layer.Axes.Select(a => (long)a).ToArray();
        if (axes.Length == 0) e.Node("Identity", [e.Input]);
        else if (layer.Mean) e.Node("ReduceMean", [e.Input], OnnxAttribute.OfInts("axes", axes), OnnxAttribute.OfInt("keepdims", 1));
        else e.Node("ReduceSum", [e.Input, e.Int64s("axes", axes)], OnnxAttribute.OfInt("keepdims", 1));
    }

    /// <summary>InstanceNormalization(x, ones [C], zeros [C], epsilon): each (n, c) plane normalized over the axes after C.</summary>
    public static void InstanceNorm(LayerExport e, InstanceNormLayer layer)
    {
        TensorShape input = e.InputShape;
        if (input.Rank < 3)
            throw e.Refuse($"ONNX InstanceNormalization takes [N, C, D1, ...] (rank 3 or more); the input is {input}.");
        int channels = input[1];
        string scale = e.Floats("scale", [channels], Enumerable.Repeat(1f, channels).ToArray());
        string bias = e.Floats("bias", [channels], new float[channels]);
        e.Node("InstanceNormalization", [e.Input, scale, bias], OnnxAttribute.OfFloat("epsilon", layer.Options.Epsilon));
    }
}
