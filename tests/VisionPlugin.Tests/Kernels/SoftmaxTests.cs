using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>Softmax and LogSoftmax proven three ways, over several axes, plus the layer and large-logit stability.</summary>
[Collection("Gpu")]
public sealed class SoftmaxTests(GpuFixture gpu)
{
    /// <summary>(shape, axis, log-softmax).</summary>
    public static TheoryData<int[], int, bool> Cases => new()
    {
        { [2, 5, 3, 4], 1, false },
        { [2, 5, 3, 4], 1, true },
        { [7, 13], 1, false },
        { [7, 13], 1, true },
        { [7, 13], -1, true },
        { [3, 4, 6], 2, false },
        { [3, 4, 6], 0, true },
        { [1, 1], 1, false },
        { [4, 1000], 1, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(int[] dims, int axis, bool logarithm)
    {
        var shape = new TensorShape(dims);
        double[] x = TestData.RoundToFloat(TestData.Uniform(1, shape.ElementCount, -4, 4));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(2, shape.ElementCount));
        double[] yRef = SoftmaxReference.Forward(x, shape, axis, logarithm);
        double[] dxRef = SoftmaxReference.Backward(yRef, dy, shape, axis, logarithm);
        string op = logarithm ? "LogSoftmax" : "Softmax";
        string parameters = $"axis {axis}";

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, shape);
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, shape);
            if (logarithm) LogSoftmax.Forward(xt, yt, axis); else Softmax.Forward(xt, yt, axis);
            TensorAssert.Close($"{op} forward", parameters, shape, yRef, yt.ToArray(), atol: 1e-5);

            dxt.Fill(123f); // overwritten, not accumulated
            if (logarithm) LogSoftmax.Backward(yt, dyt, dxt, axis); else Softmax.Backward(yt, dyt, dxt, axis);
            TensorAssert.Close($"{op} backward", parameters, shape, dxRef, dxt.ToArray(), atol: 1e-5);
            if (logarithm) LogSoftmax.Backward(yt, dyt, dxt, axis, accumulate: true); else Softmax.Backward(yt, dyt, dxt, axis, accumulate: true);
            TensorAssert.Close($"{op} backward (accumulate)", parameters, shape, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), atol: 2e-5);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(int[] dims, int axis, bool logarithm)
    {
        var shape = new TensorShape(dims);
        if (shape.ElementCount > 500) shape = new TensorShape(2, 37); // finite differences cost O(count^2)
        double[] x = TestData.Uniform(11, shape.ElementCount, -3, 3);
        double[] dy = TestData.Uniform(12, shape.ElementCount);
        double[] y = SoftmaxReference.Forward(x, shape, axis, logarithm);
        double[] dx = SoftmaxReference.Backward(y, dy, shape, axis, logarithm);
        FiniteDifference.Check(logarithm ? "LogSoftmax" : "Softmax", $"axis {axis}", "input", shape,
            v => SoftmaxReference.Forward(v, shape, axis, logarithm), x, dy, dx);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Logits_near_1e4_give_finite_outputs_and_gradients(bool logarithm)
    {
        var shape = new TensorShape(3, 5);
        // Rows of huge logits: spread widely, nearly tied, and all equal.
        double[] x = TestData.RoundToFloat([1e4, -1e4, 9999.5, 0, 5000, 1e4, 1e4 - 1, 1e4 - 2, 1e4 - 0.5, 1e4 - 3, -1e4, -1e4, -1e4, -1e4, -1e4]);
        double[] dy = TestData.RoundToFloat(TestData.Uniform(3, shape.ElementCount));
        double[] yRef = SoftmaxReference.Forward(x, shape, 1, logarithm);
        double[] dxRef = SoftmaxReference.Backward(yRef, dy, shape, 1, logarithm);
        string op = logarithm ? "LogSoftmax" : "Softmax";
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, shape);
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, shape);
            if (logarithm) LogSoftmax.Forward(xt, yt); else Softmax.Forward(xt, yt);
            float[] y = yt.ToArray();
            Assert.All(y, v => Assert.True(float.IsFinite(v), $"{op} of logits ~1e4 gave {v}"));
            TensorAssert.Close($"{op} forward, logits ~1e4", "axis 1", shape, yRef, y, atol: 1e-5);
            if (logarithm) LogSoftmax.Backward(yt, dyt, dxt); else Softmax.Backward(yt, dyt, dxt);
            TensorAssert.Close($"{op} backward, logits ~1e4", "axis 1", shape, dxRef, dxt.ToArray(), atol: 1e-5);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Layer_forward_and_backward_match_reference(bool logarithm)
    {
        var shape = new TensorShape(2, 5, 3, 4);
        double[] x = TestData.RoundToFloat(TestData.Uniform(21, shape.ElementCount, -2, 2));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(22, shape.ElementCount));
        double[] yRef = SoftmaxReference.Forward(x, shape, 1, logarithm);
        double[] dxRef = SoftmaxReference.Backward(yRef, dy, shape, 1, logarithm);
        gpu.Run(ctx =>
        {
            using var layer = new SoftmaxLayer("softmax", logarithm: logarithm);
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            Assert.Throws<InvalidOperationException>(() => layer.Backward(dyt, true));
            Assert.Equal(shape, layer.OutputShape(shape));
            TensorAssert.Close("SoftmaxLayer forward", $"log {logarithm}", shape, yRef, layer.Forward(xt, training: true).ToArray(), atol: 1e-5);
            TensorAssert.Close("SoftmaxLayer backward", $"log {logarithm}", shape, dxRef, layer.Backward(dyt, true)!.ToArray(), atol: 1e-5);
        });
    }

    [Fact]
    public void Bad_axis_and_mismatched_shapes_are_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Rows("Softmax", new TensorShape(7, 13), 2));
        Assert.Contains("[7,13]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxLayer("s", axis: -3).OutputShape(new TensorShape(7, 13)));
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 7, 13);
            using var y = new Tensor(ctx, 7, 12);
            var m = Assert.Throws<ArgumentException>(() => Softmax.Forward(x, y));
            Assert.Contains("[7,13]", m.Message);
            Assert.Contains("[7,12]", m.Message);
            Assert.Throws<ArgumentException>(() => LogSoftmax.Backward(x, y, x));
        });
    }
}
