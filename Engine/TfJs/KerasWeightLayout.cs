namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// TensorFlow/Keras weight layouts to the engine's (PyTorch) ones. Pure index permutations, no arithmetic.
/// </summary>
internal static class KerasWeightLayout
{
    /// <summary>Conv2D kernel [KH,KW,C,K] -> engine [K,C,KH,KW]: w[k,c,y,x] = kernel[y,x,c,k].</summary>
    public static float[] ConvKernel(ReadOnlySpan<float> kernel, int kernelH, int kernelW, int inChannels, int outChannels)
    {
        RequireLength(kernel, (long)kernelH * kernelW * inChannels * outChannels, "Conv2D kernel");
        var weight = new float[kernel.Length];
        for (int y = 0; y < kernelH; y++)
            for (int x = 0; x < kernelW; x++)
                for (int c = 0; c < inChannels; c++)
                {
                    int source = ((y * kernelW + x) * inChannels + c) * outChannels;
                    for (int k = 0; k < outChannels; k++)
                        weight[((k * inChannels + c) * kernelH + y) * kernelW + x] = kernel[source + k];
                }
        return weight;
    }

    /// <summary>
    /// DepthwiseConv2D kernel [KH,KW,C,M] -> engine grouped conv weight [C*M,1,KH,KW] (groups = C): TensorFlow's
    /// output channel c*M + m filters input channel c with kernel[:,:,c,m], which is the engine's group c, member m.
    /// </summary>
    public static float[] DepthwiseKernel(ReadOnlySpan<float> kernel, int kernelH, int kernelW, int channels, int multiplier)
    {
        RequireLength(kernel, (long)kernelH * kernelW * channels * multiplier, "DepthwiseConv2D kernel");
        var weight = new float[kernel.Length];
        for (int y = 0; y < kernelH; y++)
            for (int x = 0; x < kernelW; x++)
                for (int c = 0; c < channels; c++)
                    for (int m = 0; m < multiplier; m++)
                        weight[((c * multiplier + m) * kernelH + y) * kernelW + x] = kernel[((y * kernelW + x) * channels + c) * multiplier + m];
        return weight;
    }

    /// <summary>
    /// Dense kernel [in,out] -> engine Linear weight [out,in]. When the input was flattened from an (H,W,C) map,
    /// Keras' input index (h*W + w)*C + c is the engine's (c*H + h)*W + w, and the rows are permuted to match.
    /// </summary>
    public static float[] DenseKernel(ReadOnlySpan<float> kernel, int inFeatures, int outFeatures, (int H, int W, int C)? flattenedFrom)
    {
        RequireLength(kernel, (long)inFeatures * outFeatures, "Dense kernel");
        var weight = new float[kernel.Length];
        for (int i = 0; i < inFeatures; i++)
        {
            int engineIndex = flattenedFrom is { } map ? EngineIndex(i, map.H, map.W, map.C) : i;
            for (int o = 0; o < outFeatures; o++) weight[o * inFeatures + engineIndex] = kernel[i * outFeatures + o];
        }
        return weight;
    }

    /// <summary>The engine (c,h,w) position of Keras' flattened (h,w,c) index.</summary>
    public static int EngineIndex(int kerasIndex, int height, int width, int channels)
    {
        int c = kerasIndex % channels;
        int position = kerasIndex / channels; // h*W + w
        return c * height * width + position;
    }

    private static void RequireLength(ReadOnlySpan<float> values, long expected, string what)
    {
        if (values.Length != expected) throw new ArgumentException($"{what} has {values.Length} values; its shape needs {expected}.", nameof(values));
    }
}
