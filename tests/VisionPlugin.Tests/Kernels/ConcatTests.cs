using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Concat along any axis proven three ways: GPU forward vs reference, GPU backward (split; overwrite, then accumulate,
/// skipped inputs) vs reference, reference backward vs finite differences; plus the layer and the error messages.
/// </summary>
[Collection("Gpu")]
public sealed class ConcatTests(GpuFixture gpu)
{
    /// <summary>(name, input shapes, axis).</summary>
    public static TheoryData<string, int[][], int> Cases => new()
    {
        { "channels of three", [[2, 3, 4, 5], [2, 1, 4, 5], [2, 4, 4, 5]], 1 },
        { "batch", [[1, 3, 2, 5], [2, 3, 2, 5]], 0 },
        { "height", [[2, 3, 7, 5], [2, 3, 1, 5]], 2 },
        { "width as -1", [[2, 3, 4, 2], [2, 3, 4, 5], [2, 3, 4, 1]], -1 },
        { "channels as -3", [[1, 2, 3, 3], [1, 5, 3, 3]], -3 },
        { "features of rank 2", [[3, 4], [3, 6]], 1 },
        { "rank 3 axis 0", [[2, 3, 5], [1, 3, 5], [4, 3, 5]], 0 },
        { "single input", [[2, 3, 7, 5]], 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name, int[][] dims, int axis)
    {
        TensorShape[] shapes = dims.Select(d => new TensorShape(d)).ToArray();
        TensorShape ys = Concat.OutputShape(shapes, axis);
        double[][] xs = shapes.Select((s, j) => TestData.RoundToFloat(TestData.Uniform(110 + j, s.ElementCount))).ToArray();
        double[] dy = TestData.RoundToFloat(TestData.Uniform(120, ys.ElementCount));
        string parameters = $"{name}; inputs {string.Join(", ", shapes)}; axis {axis}";
        double[] yRef = ConcatReference.Forward(xs, shapes, axis);
        double[][] dxRef = ConcatReference.Backward(shapes, dy, axis);

        gpu.Run(ctx =>
        {
            Tensor[] inputs = shapes.Select((s, j) => Tensor.FromData(ctx, s, TestData.ToFloat(xs[j]))).ToArray();
            Tensor[] grads = shapes.Select(s => new Tensor(ctx, s)).ToArray();
            try
            {
                using var yt = new Tensor(ctx, ys);
                using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
                yt.Fill(99f);
                Concat.Forward(inputs, yt, axis);
                TensorAssert.Close("Concat forward", parameters, ys, yRef, yt.ToArray(), atol: 0, rtol: 0);

                foreach (Tensor g in grads) g.Fill(123f); // overwritten, not accumulated
                Concat.Backward(dyt, shapes, grads, axis);
                for (int j = 0; j < shapes.Length; j++)
                    TensorAssert.Close($"Concat backward input {j}", parameters, shapes[j], dxRef[j], grads[j].ToArray(), atol: 0, rtol: 0);

                // Accumulate into the last input only; the others are skipped (null) and keep their values.
                Tensor?[] lastOnly = grads.Select((g, j) => j == grads.Length - 1 ? g : null).ToArray();
                Concat.Backward(dyt, shapes, lastOnly, axis, accumulate: true);
                int last = shapes.Length - 1;
                TensorAssert.Close("Concat backward last input (accumulated twice)", parameters, shapes[last],
                    dxRef[last].Select(v => 2 * v).ToArray(), grads[last].ToArray(), atol: 1e-6, rtol: 1e-6);
                if (last > 0) TensorAssert.Close("Concat backward input 0 (skipped)", parameters, shapes[0], dxRef[0], grads[0].ToArray(), atol: 0, rtol: 0);
            }
            finally
            {
                foreach (Tensor t in inputs.Concat(grads)) t.Dispose();
            }
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[][] dims, int axis)
    {
        TensorShape[] shapes = dims.Select(d => new TensorShape(d)).ToArray();
        TensorShape ys = Concat.OutputShape(shapes, axis);
        double[][] xs = shapes.Select((s, j) => TestData.Uniform(130 + j, s.ElementCount)).ToArray();
        double[] dy = TestData.Uniform(140, ys.ElementCount);
        double[][] dx = ConcatReference.Backward(shapes, dy, axis);
        for (int j = 0; j < shapes.Length; j++)
        {
            int input = j;
            FiniteDifference.Check("Concat", $"{name}; axis {axis}", $"input {j}", shapes[j],
                v => ConcatReference.Forward(xs.Select((x, k) => k == input ? v : x).ToArray(), shapes, axis), xs[j], dy, dx[j]);
        }
    }

    [Fact]
    public void Layer_joins_channels_and_splits_the_gradient()
    {
        var a = new TensorShape(2, 3, 4, 5);
        var b = new TensorShape(2, 2, 4, 5);
        double[] x0 = TestData.RoundToFloat(TestData.Uniform(151, a.ElementCount));
        double[] x1 = TestData.RoundToFloat(TestData.Uniform(152, b.ElementCount));
        TensorShape ys = Concat.OutputShape([a, b], 1);
        double[] dy = TestData.RoundToFloat(TestData.Uniform(153, ys.ElementCount));
        double[][] dxRef = ConcatReference.Backward([a, b], dy, 1);
        gpu.Run(ctx =>
        {
            using var t0 = Tensor.FromData(ctx, a, TestData.ToFloat(x0));
            using var t1 = Tensor.FromData(ctx, b, TestData.ToFloat(x1));
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var layer = new ConcatLayer("cat");
            Tensor y = layer.Forward([t0, t1], training: true);
            TensorAssert.Close("ConcatLayer forward", "channels", ys, ConcatReference.Forward([x0, x1], [a, b], 1), y.ToArray(), atol: 0, rtol: 0);
            IReadOnlyList<Tensor?> grads = layer.Backward(dyt, [false, true]);
            Assert.Null(grads[0]);
            TensorAssert.Close("ConcatLayer backward input 1", "channels", b, dxRef[1], grads[1]!.ToArray(), atol: 0, rtol: 0);
        });
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Concat.OutputShape([new TensorShape(2, 3, 4, 5), new TensorShape(2, 1, 4, 6)], 1));
        Assert.Contains("[2,3,4,5]", e.Message);
        Assert.Contains("[2,1,4,6]", e.Message);
        Assert.Contains("axis 1", e.Message);

        var rank = Assert.Throws<ArgumentException>(() => Concat.OutputShape([new TensorShape(2, 3, 4, 5), new TensorShape(2, 3, 4)], 0));
        Assert.Contains("[2,3,4]", rank.Message);

        var layer = Assert.Throws<ArgumentException>(() => new ConcatLayer("cat").OutputShape([new TensorShape(1, 3, 8, 8), new TensorShape(1, 3, 4, 4)]));
        Assert.Contains("[1,3,4,4]", layer.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-5)]
    public void Axis_outside_the_rank_is_refused(int axis)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Concat.OutputShape([new TensorShape(1, 2, 3, 3), new TensorShape(1, 2, 3, 3)], axis));
    }

    [Fact]
    public void Wrong_output_tensor_shape_is_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var a = new Tensor(ctx, 1, 2, 3, 3);
            using var b = new Tensor(ctx, 1, 4, 3, 3);
            using var y = new Tensor(ctx, 1, 5, 3, 3);
            var e = Assert.Throws<ArgumentException>(() => Concat.Forward([a, b], y, 1));
            Assert.Contains("[1,6,3,3]", e.Message);
            Assert.Contains("[1,5,3,3]", e.Message);
        });
    }
}
