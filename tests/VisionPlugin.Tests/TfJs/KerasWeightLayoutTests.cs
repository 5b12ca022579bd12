using VisionPlugin.Engine.TfJs;

namespace VisionPlugin.Tests.TfJs;

/// <summary>The TF-to-engine weight permutations, element by element on small distinct-valued kernels.</summary>
public sealed class KerasWeightLayoutTests
{
    private static float[] Iota(int count) => Enumerable.Range(0, count).Select(i => (float)i).ToArray();

    [Fact]
    public void ConvKernel_HwioBecomesOihw()
    {
        const int kh = 2, kw = 3, c = 4, k = 5;
        float[] tf = Iota(kh * kw * c * k);
        float[] engine = KerasWeightLayout.ConvKernel(tf, kh, kw, c, k);
        for (int o = 0; o < k; o++)
            for (int i = 0; i < c; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        Assert.Equal(tf[((y * kw + x) * c + i) * k + o], engine[((o * c + i) * kh + y) * kw + x]);
    }

    [Fact]
    public void DepthwiseKernel_OutputChannelIsChannelTimesMultiplierPlusM()
    {
        const int kh = 3, kw = 2, c = 3, m = 2;
        float[] tf = Iota(kh * kw * c * m);
        float[] engine = KerasWeightLayout.DepthwiseKernel(tf, kh, kw, c, m);
        for (int ch = 0; ch < c; ch++)
            for (int j = 0; j < m; j++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        Assert.Equal(tf[((y * kw + x) * c + ch) * m + j], engine[((ch * m + j) * kh + y) * kw + x]);
    }

    [Fact]
    public void DenseKernel_TransposesAndPermutesFlattenedRows()
    {
        const int inFeatures = 12, units = 2;
        float[] tf = Iota(inFeatures * units);
        float[] plain = KerasWeightLayout.DenseKernel(tf, inFeatures, units, null);
        for (int o = 0; o < units; o++)
            for (int i = 0; i < inFeatures; i++)
                Assert.Equal(tf[i * units + o], plain[o * inFeatures + i]);

        // From a 2x2x3 (H,W,C) map: Keras feature (h,w,c) = (h*2 + w)*3 + c; engine feature = (c*2 + h)*2 + w.
        float[] permuted = KerasWeightLayout.DenseKernel(tf, inFeatures, units, (2, 2, 3));
        for (int h = 0; h < 2; h++)
            for (int w = 0; w < 2; w++)
                for (int c = 0; c < 3; c++)
                    for (int o = 0; o < units; o++)
                        Assert.Equal(tf[((h * 2 + w) * 3 + c) * units + o], permuted[o * inFeatures + (c * 2 + h) * 2 + w]);
    }

    [Fact]
    public void WrongLengths_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => KerasWeightLayout.ConvKernel(new float[5], 1, 1, 2, 3));
        Assert.Throws<ArgumentException>(() => KerasWeightLayout.DepthwiseKernel(new float[5], 1, 1, 2, 3));
        Assert.Throws<ArgumentException>(() => KerasWeightLayout.DenseKernel(new float[5], 2, 3, null));
    }
}
