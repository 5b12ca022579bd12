using VisionPlugin.Augmentation;
using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Small helpers shared by the augmentation tests: run a pipeline or op on uploaded data and read the result.</summary>
public static class AugmentTestSupport
{
    /// <summary>Values 0, 1, 2, ... (distinct, so every pixel can be traced).</summary>
    public static float[] Iota(int count) => Enumerable.Range(0, count).Select(i => (float)i).ToArray();

    /// <summary>Uniform values in [0, 1).</summary>
    public static float[] Random01(int seed, int count) => TestData.ToFloat(TestData.Uniform(seed, count, 0, 1));

    /// <summary>Applies <paramref name="pipeline"/> at <paramref name="step"/> to <paramref name="values"/> of <paramref name="shape"/>.</summary>
    public static float[] Apply(GpuFixture gpu, AugmentationPipeline pipeline, float[] values, TensorShape shape, long step = 0) =>
        gpu.Run(ctx =>
        {
            using var input = Tensor.FromData(ctx, shape, values);
            using var output = new Tensor(ctx, pipeline.OutputShape(shape));
            pipeline.Apply(input, output, step);
            float[] after = input.ToArray();
            Assert.Equal(values, after); // the caller's input is never written
            return output.ToArray();
        });

    /// <summary>Value of [n, c, y, x] in a flat NCHW array.</summary>
    public static float At(float[] values, TensorShape shape, int n, int c, int y, int x) =>
        values[((n * shape.C + c) * shape.H + y) * shape.W + x];

    /// <summary>Asserts two arrays are bit-identical, naming the op and the first differing index.</summary>
    public static void Exact(string op, TensorShape shape, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{op} shape {shape}: first difference at flat index {i} {TensorAssert.MultiIndex(shape, i)}: expected {expected[i]:G9}, actual {actual[i]:G9}.");
    }
}
