using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// A parameter (possibly split into row shards) that mirrors a float initializer: element j of the parameter's
/// row-major contents is <paramref name="Scale"/> * initializer element <c>Index?[j] ?? j</c> (Index -1: not from
/// the initializer). The initializer's gradient is therefore grad_init[Index[j]] += Scale * grad_param[j].
/// </summary>
internal sealed record ParameterBinding(string Initializer, Parameter[] Shards, int[]? Index, float Scale);

/// <summary>
/// A BatchNormalization whose running mean and variance came from float initializers. The layer uses them as
/// constants (no parameter gradient), so their gradients follow from the scale and shift gradients:
/// y = gamma * (x - mean) * s + beta with s = (var + eps)^-1/2 gives
/// dL/dmean_c = -gamma_c * s_c * sum dy = -gamma_c * s_c * dbeta_c and
/// dL/dvar_c = sum dy * gamma_c * (x - mean) * (-1/2) s_c^3 = -1/2 * gamma_c * s_c^2 * dgamma_c.
/// </summary>
internal sealed record BatchNormStatisticsBinding(
    BatchNormLayer Layer, float[] Gamma, float[] Variance, float Epsilon,
    InitializerOrigin? Mean, InitializerOrigin? VarianceOrigin);

/// <summary>Collects dL/d(initializer) from the bindings after a backward pass.</summary>
internal static class InitializerGradients
{
    /// <summary>Gradients per initializer name; <paramref name="sizes"/> gives each float initializer's element count.</summary>
    public static Dictionary<string, float[]> Collect(IReadOnlyDictionary<string, int> sizes,
        IEnumerable<ParameterBinding> bindings, IEnumerable<BatchNormStatisticsBinding> statistics)
    {
        var gradients = sizes.ToDictionary(pair => pair.Key, pair => new float[pair.Value], StringComparer.Ordinal);
        foreach (ParameterBinding binding in bindings)
        {
            float[] target = gradients[binding.Initializer];
            float[] parameterGradient = Download(binding.Shards.Select(p => p.Gradient));
            for (int j = 0; j < parameterGradient.Length; j++)
            {
                int k = binding.Index is null ? j : binding.Index[j];
                if (k >= 0) target[k] += binding.Scale * parameterGradient[j];
            }
        }
        foreach (BatchNormStatisticsBinding bn in statistics)
        {
            float[] dGamma = bn.Layer.Scale.Gradient.ToArray(), dBeta = bn.Layer.Shift.Gradient.ToArray();
            int channels = dGamma.Length;
            var dMean = new float[channels];
            var dVariance = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double s = 1 / Math.Sqrt((double)bn.Variance[c] + bn.Epsilon);
                dMean[c] = (float)(-bn.Gamma[c] * s * dBeta[c]);
                dVariance[c] = (float)(-0.5 * bn.Gamma[c] * s * s * dGamma[c]);
            }
            Scatter(gradients, bn.Mean, dMean);
            Scatter(gradients, bn.VarianceOrigin, dVariance);
        }
        return gradients;
    }

    private static void Scatter(Dictionary<string, float[]> gradients, InitializerOrigin? origin, float[] gradient)
    {
        if (origin is null) return;
        float[] target = gradients[origin.Initializer];
        for (int j = 0; j < gradient.Length; j++)
        {
            int k = origin.Index is null ? j : origin.Index[j];
            if (k >= 0) target[k] += gradient[j];
        }
    }

    private static float[] Download(IEnumerable<Tensor> shards)
    {
        Tensor[] tensors = shards.ToArray();
        var values = new float[tensors.Sum(t => (long)t.ElementCount)];
        long offset = 0;
        foreach (Tensor t in tensors)
        {
            t.Download(values.AsSpan((int)offset, t.ElementCount));
            offset += t.ElementCount;
        }
        return values;
    }
}
